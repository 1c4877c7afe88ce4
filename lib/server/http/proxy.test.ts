import { NextRequest, type NextResponse } from 'next/server';
import { beforeAll, describe, expect, it, vi } from 'vitest';

// The proxy reads its limits once from the validated environment: set them before it loads.
// Only server-action calls are answered asynchronously (they read the body): the rest is synchronous.
let proxy: (request: NextRequest) => NextResponse;
let proxyAsync: typeof import('@/proxy').proxy;
beforeAll(async () => {
  vi.stubEnv('GATEHOUSE_API_RATE_PER_MINUTE', '3');
  vi.stubEnv('GATEHOUSE_SIGNIN_RATE_PER_MINUTE', '2');
  vi.stubEnv('NODE_ENV', 'production');
  vi.stubEnv('GATEHOUSE_ALLOW_LOCAL_SIGNIN', 'true');
  ({ proxy: proxyAsync } = await import('@/proxy'));
  proxy = (request) => proxyAsync(request) as NextResponse;
});

const req = (url: string, init: { method?: string; headers?: Record<string, string> } = {}) => new NextRequest(new URL(url), init);

describe('proxy', () => {
  it('gives each page a fresh nonce-based CSP without unsafe-inline scripts', () => {
    const a = proxy(req('http://portal.example/requests'));
    const b = proxy(req('http://portal.example/requests'));
    const csp = a.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'(;|$)/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(b.headers.get('content-security-policy')).not.toBe(csp);
    // Next.js reads the nonce from the forwarded request headers.
    expect(a.headers.get('x-middleware-request-x-nonce')).toBe(/'nonce-([^']+)'/.exec(csp)![1]);
  });

  it('sends HSTS only over HTTPS in production', () => {
    expect(proxy(req('http://portal.example/')).headers.get('strict-transport-security')).toBeNull();
    expect(proxy(req('http://portal.example/', { headers: { 'x-forwarded-proto': 'https' } })).headers.get('strict-transport-security')).toBe(
      'max-age=63072000; includeSubDomains',
    );
  });

  it('refuses a state-changing API call from another site, and lets same-site and Origin-less calls through', async () => {
    const cross = proxy(
      req('http://portal.example/api/v1/requests', {
        method: 'POST',
        headers: { origin: 'https://evil.example', host: 'portal.example', 'x-gatehouse-peer': '10.0.0.1' },
      }),
    );
    expect(cross.status).toBe(403);
    expect(await cross.json()).toEqual({ error: { code: 'FORBIDDEN', message: expect.stringMatching(/Cross-site/) } });
    expect(
      proxy(
        req('http://portal.example/api/v1/requests', {
          method: 'POST',
          headers: { origin: 'http://portal.example', host: 'portal.example', 'x-gatehouse-peer': '10.0.0.2' },
        }),
      ).status,
    ).toBe(200);
    expect(
      proxy(req('http://portal.example/api/v1/requests', { method: 'POST', headers: { host: 'portal.example', 'x-gatehouse-peer': '10.0.0.3' } })).status,
    ).toBe(200);
    // Reads are not state-changing.
    expect(
      proxy(
        req('http://portal.example/api/v1/requests', { headers: { origin: 'https://evil.example', host: 'portal.example', 'x-gatehouse-peer': '10.0.0.4' } }),
      ).status,
    ).toBe(200);
  });

  it('limits each caller of the JSON API, answering 429 with Retry-After', async () => {
    const call = (cookie: string) => proxy(req('http://portal.example/api/v1/me', { headers: { cookie: `next-auth.session-token=${cookie}` } }));
    expect([1, 2, 3].map(() => call('session-of-alice-0123456789abcdef0123456789').status)).toEqual([200, 200, 200]);
    const limited = call('session-of-alice-0123456789abcdef0123456789');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('20');
    expect((await limited.json()).error.code).toBe('RATE_LIMITED');
    // Another user is not affected.
    expect(call('session-of-bob-0123456789abcdef0123456789abcd').status).toBe(200);
  });

  it('limits each API token on its own, whatever address or cookie it comes with', () => {
    const call = (token: string, ip: string) =>
      proxy(
        req('http://portal.example/api/v1/me', {
          headers: { authorization: `Bearer ${token}`, 'x-real-ip': ip, cookie: 'next-auth.session-token=shared-0123456789abcdef0123456789' },
        }),
      );
    const carol = `gth_${'c'.repeat(43)}`;
    expect([1, 2, 3].map((i) => call(carol, `203.0.113.${i}`).status)).toEqual([200, 200, 200]);
    expect(call(carol, '203.0.113.9').status).toBe(429);
    // Dave's token, with the same cookie: his own budget.
    expect(call(`gth_${'d'.repeat(43)}`, '203.0.113.1').status).toBe(200);
  });

  it('limits sign-in attempts per client address', () => {
    // The server process puts the TCP peer on every request (lib/server/http/peer-address.ts).
    const attempt = (ip: string) => proxy(req('http://portal.example/api/auth/callback/local', { method: 'POST', headers: { 'x-gatehouse-peer': ip } })).status;
    expect([attempt('192.0.2.1'), attempt('192.0.2.1'), attempt('192.0.2.1')]).toEqual([200, 200, 429]);
    expect(attempt('192.0.2.2')).toBe(200);
  });

  it('is not bypassed by rotating X-Forwarded-For: without trusted proxies the peer address counts', () => {
    const attempt = (forged: string) =>
      proxy(
        req('http://portal.example/api/auth/callback/local', { method: 'POST', headers: { 'x-gatehouse-peer': '198.51.100.7', 'x-forwarded-for': forged } }),
      ).status;
    expect([attempt('203.0.113.1'), attempt('203.0.113.2'), attempt('203.0.113.3'), attempt('203.0.113.4')]).toEqual([200, 200, 429, 429]);
  });
});

describe('proxy before a server action', () => {
  const action = (body: BodyInit | null, headers: Record<string, string> = { 'content-type': 'text/plain;charset=UTF-8' }) =>
    Promise.resolve(
      proxyAsync(new NextRequest(new URL('http://portal.example/requests/new'), { method: 'POST', body, headers: { 'next-action': '7f00aa', ...headers } })),
    );

  it('answers 4xx for bodies Next.js cannot decode, instead of its 500', async () => {
    expect((await action('{"not json')).status).toBe(400);
    expect((await action('')).status).toBe(400);
    expect((await action(null)).status).toBe(400);
    expect((await action('['.repeat(50) + ']'.repeat(50))).status).toBe(400);
    expect((await action('x'.repeat(1024 * 1024 + 1))).status).toBe(413);
    expect((await action('--b\r\nbroken', { 'content-type': 'multipart/form-data; boundary=b' })).status).toBe(400);
    // References to parts the body does not carry: React's decoder would wait for them and fail.
    for (const body of ['["$Q99"]', '["$@5"]', '[{"requestId":"$1"}]']) expect((await action(body)).status, body).toBe(400);
    const dangling = new FormData();
    dangling.set('0', '["$Q2"]');
    expect(
      (
        await Promise.resolve(
          proxyAsync(new NextRequest(new URL('http://portal.example/requests/new'), { method: 'POST', body: dangling, headers: { 'next-action': '7f00aa' } })),
        )
      ).status,
    ).toBe(400);
    const refused = await action('{"not json');
    expect(await refused.json()).toEqual({ error: { code: 'BAD_REQUEST', message: 'The body is not valid JSON.' } });
  });

  it('lets a well-formed call through to the action', async () => {
    const ok = await action(JSON.stringify([{ requestId: 'r1', kind: 'APPROVE', comment: '$$5 off', note: '$undefined', at: '$D2026-12-07T00:00:00.000Z' }]));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("script-src 'self' 'nonce-");
    const form = new FormData();
    form.set('1_justification', 'Checking the incident');
    form.set('0', '["$K1"]');
    expect(
      (
        await Promise.resolve(
          proxyAsync(new NextRequest(new URL('http://portal.example/requests/new'), { method: 'POST', body: form, headers: { 'next-action': '7f00aa' } })),
        )
      ).status,
    ).toBe(200);
  });
});

describe('proxy while the database is down', () => {
  it('answers pages and API calls 503 with Retry-After, keeps liveness, readiness and the message catalog, and stops when the database answers', async () => {
    const { databaseOutageSince, registerDatabaseProbe, resetDatabaseOutage, suspectDatabaseOutage } = await import('@/lib/server/db/outage');
    let down = true;
    registerDatabaseProbe(async () => {
      if (down) throw new Error('Connection terminated unexpectedly');
    });
    try {
      expect(proxy(req('http://portal.example/requests')).status).toBe(200);
      const probing = suspectDatabaseOutage({ intervalMs: 5, log: () => {} });
      await expect.poll(() => databaseOutageSince()).not.toBeNull();
      const page = proxy(req('http://portal.example/requests'));
      expect(page.status).toBe(503);
      expect(page.headers.get('retry-after')).toBe('5');
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await page.text()).toContain('Gatehouse is briefly unavailable');
      const api = proxy(req('http://portal.example/api/v1/requests', { headers: { 'x-gatehouse-peer': '10.9.0.1' } }));
      expect(api.status).toBe(503);
      expect(await api.json()).toEqual({ error: { code: 'UNAVAILABLE', message: expect.stringMatching(/database is not answering/) } });
      expect(proxy(req('http://portal.example/api/ping')).status).toBe(200);
      expect(proxy(req('http://portal.example/api/health')).status).toBe(200);
      // The message catalog needs no database, and an open page needs it to hydrate.
      expect(proxy(req('http://portal.example/api/i18n/en?v=x')).status).toBe(200);
      down = false;
      await probing;
      expect(proxy(req('http://portal.example/requests')).status).toBe(200);
    } finally {
      resetDatabaseOutage();
    }
  });
});
