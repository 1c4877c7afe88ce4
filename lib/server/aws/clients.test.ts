import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetPolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// The configuration is read once from the validated environment: set it before the module loads.
let awsClientConfig: typeof import('@/lib/server/aws/clients').awsClientConfig;
let server: http.Server;
let endpoint: string;
let received = 0;

beforeAll(async () => {
  vi.stubEnv('AWS_REQUEST_TIMEOUT_MS', '300');
  vi.stubEnv('AWS_MAX_ATTEMPTS', '2');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test-only');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test-only');
  ({ awsClientConfig } = await import('@/lib/server/aws/clients'));
  // An endpoint that accepts every request and never answers (a hung AWS call).
  server = http.createServer(() => {
    received++;
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  vi.unstubAllEnvs();
});

describe('awsClientConfig', () => {
  it('gives every attempt the configured timeout and adaptive retries', () => {
    expect(awsClientConfig()).toEqual({
      region: 'us-east-1',
      maxAttempts: 2,
      retryMode: 'adaptive',
      requestHandler: { requestTimeout: 300, connectionTimeout: 300, throwOnRequestTimeout: true },
    });
  });

  it('makes an SDK call to an endpoint that never answers fail after its attempts, not hang', async () => {
    const client = new IAMClient({ ...awsClientConfig(), endpoint });
    const t0 = Date.now();
    const error = await client.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::111122223333:policy/gatehouse/x' })).then(
      () => null,
      (e: unknown) => e as Error,
    );
    client.destroy();
    expect(error?.name).toBe('TimeoutError');
    // Two attempts of 300 ms (plus the retry's backoff), far below the SDK's 5-minute idle socket.
    expect(received).toBe(2);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});
