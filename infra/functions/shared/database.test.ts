import { describe, expect, it, vi } from 'vitest';
import { createProxyPool, withTimeout } from './database';

describe('createProxyPool', () => {
  it('holds one TLS-verified connection whose password is a fresh IAM token for the proxy user', async () => {
    const credentials = vi.fn(async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }));
    const pool = createProxyPool(
      {
        host: 'serverless-dev-proxy.proxy-x.eu-central-1.rds.amazonaws.com',
        port: 5432,
        database: 'app',
        user: 'gatehouse',
        region: 'eu-central-1',
        credentials,
      },
      () => {},
    );
    try {
      expect(pool.options.max).toBe(1);
      expect(pool.options.ssl).toEqual({ rejectUnauthorized: true, servername: 'serverless-dev-proxy.proxy-x.eu-central-1.rds.amazonaws.com' });
      const password = pool.options.password as () => Promise<string>;
      const token = await password();
      expect(token).toMatch(/^serverless-dev-proxy\.proxy-x\.eu-central-1\.rds\.amazonaws\.com:5432\/\?Action=connect&DBUser=gatehouse&/);
      expect(token).toContain('X-Amz-Credential=AKIDEXAMPLE%2F');
      expect(credentials).toHaveBeenCalled();
      // A pool error (the proxy dropping an idle client) goes to the handler instead of crashing.
      expect(pool.listenerCount('error')).toBe(1);
    } finally {
      await pool.end();
    }
  });
});

describe('withTimeout', () => {
  it('passes the result through in time and rejects with a TimeoutError after the deadline', async () => {
    await expect(withTimeout(Promise.resolve(7), 50, 'x')).resolves.toBe(7);
    await expect(withTimeout(new Promise(() => {}), 20, 'database check')).rejects.toMatchObject({
      name: 'TimeoutError',
      message: 'database check took longer than 20 ms',
    });
  });
});
