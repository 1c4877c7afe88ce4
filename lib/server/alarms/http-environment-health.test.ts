import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpHealthSource } from '@/lib/server/alarms/http-environment-health';

const AT = new Date('2026-11-30T09:00:00.000Z');
let server: http.Server;
let base = '';
let closedPort = 0;
const seen: { url?: string; headers: http.IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ url: req.url, headers: req.headers });
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    switch (req.url) {
      case '/ok':
        return json(200, { status: 'ok', db: { ok: true, latencyMs: 3.4 }, version: '2026.11.30-2' });
      case '/db-down':
        return json(503, {
          status: 'error',
          db: { ok: false, latencyMs: 1000, error: 'timeout acquiring a connection through RDS Proxy' },
          version: '2026.11.30-2',
        });
      case '/garbage':
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end('OK!!! \u0000\u0001 not json');
      case '/html-500':
        res.writeHead(500, { 'content-type': 'text/html' });
        return res.end('<html><h1>500 Internal Server Error</h1></html>');
      case '/wrong-shape':
        return json(200, { healthy: true });
      case '/slow':
        setTimeout(() => json(200, { status: 'ok', db: { ok: true, latencyMs: 1 } }), 10_000).unref();
        return;
      case '/stalls-mid-body':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"status":"ok",');
        return;
      case '/redirect':
        res.writeHead(302, { location: '/ok' });
        return res.end();
      case '/huge':
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(`{"status":"ok","pad":"${'x'.repeat(200_000)}"}`);
      default:
        res.writeHead(404);
        return res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const closed = http.createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  closedPort = (closed.address() as AddressInfo).port;
  await new Promise((r) => closed.close(r));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

function source(paths: Record<string, string>, timeoutMs = 300) {
  return createHttpHealthSource(Object.fromEntries(Object.entries(paths).map(([env, p]) => [env, p.startsWith('http') ? p : `${base}${p}`])), { timeoutMs });
}

describe('createHttpHealthSource against a local server', () => {
  it('reads a healthy answer with its latency, database check and version', async () => {
    const result = await source({ prod: '/ok' }).check('prod', AT);
    expect(result).toMatchObject({ status: 'ok', httpStatus: 200, dbOk: true, dbLatencyMs: 3, version: '2026.11.30-2', error: null });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(result.latencyMs).toBeLessThan(300);
    expect(seen.at(-1)?.headers).toMatchObject({ accept: 'application/json', 'user-agent': 'Gatehouse health check' });
  });

  it('is degraded when the API answers but its database check fails', async () => {
    expect(await source({ prod: '/db-down' }).check('prod', AT)).toMatchObject({
      status: 'degraded',
      httpStatus: 503,
      dbOk: false,
      error: 'database check failed: timeout acquiring a connection through RDS Proxy',
    });
  });

  it('is down with what was wrong for garbage, an error page, another shape, a redirect, or an oversized body', async () => {
    const s = source({ a: '/garbage', b: '/html-500', c: '/wrong-shape', d: '/redirect', e: '/huge', f: '/nope' });
    expect(await s.check('a', AT)).toMatchObject({
      status: 'down',
      httpStatus: 200,
      error: expect.stringMatching(/^HTTP 200 with a body that is not JSON: OK!!!/),
    });
    expect(await s.check('b', AT)).toMatchObject({
      status: 'down',
      httpStatus: 500,
      error: 'HTTP 500 with a body that is not JSON: <html><h1>500 Internal Server Error</h1></html>',
    });
    expect(await s.check('c', AT)).toMatchObject({ status: 'down', error: expect.stringContaining('HTTP 200 with an unexpected body: status') });
    expect(await s.check('d', AT)).toMatchObject({ status: 'down', httpStatus: 302, error: 'HTTP 302 with a body that is not JSON (empty)' });
    expect(await s.check('e', AT)).toMatchObject({ status: 'down', error: expect.stringContaining('not JSON') });
    expect(await s.check('f', AT)).toMatchObject({ status: 'down', httpStatus: 404 });
  });

  it('is down after the timeout, also when the body stalls half-way', async () => {
    const s = source({ slow: '/slow', stall: '/stalls-mid-body' }, 200);
    const started = performance.now();
    const [slow, stall] = await Promise.all([s.check('slow', AT), s.check('stall', AT)]);
    // Far below the 10 s the slow endpoint takes; a loaded CI machine may be slow, so no tighter bound.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(slow).toMatchObject({ status: 'down', httpStatus: null, error: 'no answer within 200 ms' });
    expect(stall).toMatchObject({ status: 'down', error: 'no answer within 200 ms' });
    expect(slow.latencyMs).toBeGreaterThanOrEqual(190);
  });

  it('is down when nothing listens, or no URL is configured', async () => {
    const s = source({ gone: `http://127.0.0.1:${closedPort}/health` });
    expect(await s.check('gone', AT)).toMatchObject({ status: 'down', httpStatus: null, error: expect.stringContaining('ECONNREFUSED') });
    expect(await s.check('staging', AT)).toMatchObject({ status: 'down', error: 'no health URL is configured for staging' });
    expect(s.environments()).toEqual(['gone']);
  });
});
