import fs from 'node:fs';
import path from 'node:path';
import { E2E_AUTH_SECRET } from './fixtures/constants';
import { expect, sessionCookie, test, USERS, type Role } from './fixtures/test';

// No secret value and no credential in responses or error pages. A registration makes the sandbox
// generate a random initial value (GHSANDBOXVALUE…, forgotten at once); then every role's pages, the
// JSON API and error answers are fetched, saved for the scan after the suite (scripts/test.mjs, with
// the server log and the database dump) and scanned here as well.

const OUT = path.resolve('.test-results/e2e-responses');

test('responses and error pages hold no secret value or credential after a secret is registered', async ({ request }) => {
  test.setTimeout(90_000);
  // A dynamic import: Playwright would transpile a static import of this ES module to CommonJS.
  const { scanText } = await import('../scripts/secret-scan.mjs');
  const cookie = async (userId: string) => {
    const c = await sessionCookie(userId);
    return { cookie: `${c.name}=${c.value}` };
  };
  const engineer = await cookie('usr_jaewon_choi');
  const created = await request.post('/api/v1/requests', {
    headers: engineer,
    data: {
      type: 'SECRET_REGISTER',
      environment: 'DEV',
      teamId: 'team_payments',
      secretName: 'e2e-scan-canary',
      description: 'Canary for the secret scan',
      justification: 'Registers a secret so that the scan has a value to miss',
      durationMinutes: 60,
    },
  });
  expect(created.status()).toBe(201);
  const id = (await created.json()).request.id as string;
  expect((await request.post(`/api/v1/requests/${id}/approve`, { headers: await cookie(USERS.SECURITY.id), data: {} })).status()).toBe(200);
  await expect
    .poll(async () => (await (await request.get(`/api/v1/requests/${id}`, { headers: engineer })).json()).grant?.status, { timeout: 20_000 })
    .toBe('ACTIVE');

  const pages = [
    '/',
    '/requests',
    `/requests/${id}`,
    '/requests/new',
    '/catalog',
    '/approvals',
    '/audit',
    '/reports',
    '/reconcile',
    '/iam-audit',
    '/admin',
    '/sandbox',
    '/costs',
    '/requests/no-such-request',
    '/no-such-page',
  ];
  const apis = [
    `/api/v1/requests/${id}`,
    '/api/v1/requests?scope=all&limit=100',
    '/api/v1/requests?limit=100',
    '/api/v1/audit?limit=100',
    '/api/v1/audit/export?format=json',
    '/api/v1/reports/grants?format=json',
    '/api/v1/reports/approver-load?format=csv',
    '/api/v1/me',
    '/api/v1/approvals',
    '/api/v1/requests/no-such-request',
    '/api/health',
  ];
  fs.mkdirSync(OUT, { recursive: true });
  const saved: string[] = [];
  const fetchAs = async (role: Role | 'anonymous', p: string, init: { method?: 'GET' | 'POST'; data?: unknown } = {}) => {
    const headers = role === 'anonymous' ? {} : await cookie(USERS[role].id);
    const res =
      init.method === 'POST' ? await request.post(p, { headers, data: init.data, maxRedirects: 0 }) : await request.get(p, { headers, maxRedirects: 0 });
    const body = await res.text();
    const file = path.join(OUT, `${role}-${init.method ?? 'GET'}-${p.replace(/[^a-z0-9]+/gi, '_').slice(0, 80)}.txt`);
    fs.writeFileSync(file, `${res.status()} ${p}\n${JSON.stringify(res.headers())}\n\n${body}`);
    saved.push(file);
    expect(res.status(), `${role} ${p}`).toBeLessThan(500);
    expect(scanText(body, { literals: [E2E_AUTH_SECRET] }), `${role} ${p}`).toEqual([]);
    return res.status();
  };
  for (const role of ['ENGINEER', 'SECURITY', 'OPS', 'ADMIN'] as const) {
    for (const p of [...pages, ...apis]) await fetchAs(role, p);
  }
  // Error answers: unauthenticated, malformed, forbidden.
  expect(await fetchAs('anonymous', '/api/v1/me')).toBe(401);
  expect(await fetchAs('anonymous', '/requests')).toBe(307);
  expect(await fetchAs('ENGINEER', '/api/v1/requests', { method: 'POST', data: { type: 'SECRET_READ', secretId: '' } })).toBe(400);
  expect(await fetchAs('ENGINEER', '/api/v1/audit?limit=5')).toBe(403);
  expect(await fetchAs('ENGINEER', `/api/v1/grants/${id}/revoke`, { method: 'POST', data: { comment: 'not mine to revoke' } })).toBeGreaterThanOrEqual(400);
  expect(saved.length).toBeGreaterThan(90);
});
