import { expect, sessionCookie, test, USERS } from './fixtures/test';

// Issue 13, findings 6-8 through the real server: sessions end on the server, sign-in callbacks stay
// on this site, the audit records the real client address, and text with control characters or
// credentials is refused before anything is written (docs/decisions/031).

// Built at run time: no credential-shaped string in this file.
const AWS_KEY_ID = ['AKIA', 'Z7Q2M4XK', 'P9LWR3TB'].join('');
const BASE = { type: 'SECRET_READ', secretId: 'sec_dev_payments_stripe_api_key', justification: 'Checking the payout incident INC-7', durationMinutes: 60 };

test.describe('sessions end on the server', () => {
  test('after sign-out the old cookie is refused everywhere (API 401, pages back to sign-in)', async ({ page, browser }) => {
    // Through the real sign-in page, so the session id is the one next-auth issued.
    await page.goto('/signin');
    await page.getByRole('button', { name: `Sign in as ${USERS.OPS.name}` }).click();
    await expect(page.getByRole('heading', { name: `Welcome, ${USERS.OPS.name}` })).toBeVisible();
    const cookie = (await page.context().cookies()).find((c) => c.name === 'next-auth.session-token');
    expect(cookie).toBeDefined();

    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/signin/);

    // Someone who copied the cookie before the sign-out (another browser, a script).
    const thief = await browser.newContext();
    await thief.addCookies([{ ...cookie!, expires: -1 }]);
    expect((await thief.request.get('/api/v1/me')).status()).toBe(401);
    const thiefPage = await thief.newPage();
    await thiefPage.goto('/requests');
    await expect(thiefPage).toHaveURL(/\/signin\?callbackUrl=%2Frequests/);
    expect((await thief.request.post('/api/v1/requests', { data: BASE })).status()).toBe(401);
    await thief.close();
  });

  test('signing out one session leaves the user’s other sessions alone', async ({ page, loginAs, browser }) => {
    await loginAs('SECURITY');
    const other = await browser.newContext();
    await other.addCookies([await sessionCookie(USERS.SECURITY.id)]);
    await page.goto('/');
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/signin/);
    expect((await page.request.get('/api/v1/me')).status()).toBe(401);
    expect((await other.request.get('/api/v1/me')).status()).toBe(200);
    await other.close();
  });
});

test.describe('sign-in callbacks stay on this site', () => {
  for (const [callback, location] of [
    ['/%09/evil.example', '/'],
    ['/%0a/x', '/'],
    ['/%E3%80%82evil', '/%E3%80%82evil'],
    ['/a/..//evil.example', '/'],
    ['/requests?scope=all', '/requests?scope=all'],
  ] as const) {
    test(`callbackUrl=${callback} answers a redirect to ${location}`, async ({ page, loginAs }) => {
      await loginAs('ENGINEER');
      const res = await page.request.get(`/signin?callbackUrl=${callback}`, { maxRedirects: 0 });
      expect(res.status()).toBe(307);
      expect(res.headers().location).toBe(location);
    });
  }
});

test('the audit records the TCP peer, not a forged X-Forwarded-For', async ({ request }) => {
  const engineer = await sessionCookie('usr_daniel_okafor');
  const created = await request.post('/api/v1/requests', {
    headers: {
      cookie: `${engineer.name}=${engineer.value}`,
      'x-forwarded-for': '203.0.113.66',
      'x-real-ip': '203.0.113.67',
      'x-gatehouse-peer': '203.0.113.68',
    },
    data: { ...BASE, justification: 'Audit origin check for the forged header test' },
  });
  expect(created.status()).toBe(201);
  const id = (await created.json()).request.id as string;
  const security = await sessionCookie(USERS.SECURITY.id);
  const audit = await (await request.get(`/api/v1/audit?request=${id}`, { headers: { cookie: `${security.name}=${security.value}` } })).json();
  const ips = (audit.events as { ip: string | null }[]).map((e) => e.ip);
  expect(ips.length).toBeGreaterThan(0);
  for (const ip of ips) expect(ip).toMatch(/^(127\.0\.0\.1|::ffff:127\.0\.0\.1|::1)$/);
});

test.describe('API writes: text, credentials and body shape', () => {
  test.use({ extraHTTPHeaders: {} });

  test('refuses control characters (400) and credentials (422) naming the field, and writes nothing', async ({ page }) => {
    await page.context().addCookies([await sessionCookie('usr_lucas_meyer')]);
    // Each body carries a ticket reference of its own: afterwards none of them may be in the list.
    const marker = `E2E-INPUT-${Date.now()}`;
    const post = (data: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
      page.request.post('/api/v1/requests', { data: typeof data === 'string' ? data : JSON.stringify(data), headers });
    const base = { ...BASE, ticketRef: marker };

    const cases: [unknown, number, RegExp][] = [
      [{ ...base, justification: 'Checking the payout \u0000 incident' }, 400, /justification: .*U\+0000/],
      [{ ...base, breakGlass: true, breakGlassReason: 'Prod is down\u001b[2J now' }, 400, /breakGlassReason: .*U\+001B/],
      [
        {
          type: 'SECRET_REGISTER',
          environment: 'DEV',
          teamId: 'team_platform',
          secretName: 'e2e-ctl',
          description: 'bad\u0007bell',
          justification: BASE.justification,
          durationMinutes: 60,
          ticketRef: marker,
        },
        400,
        /description: /,
      ],
      [{ ...base, justification: `Use ${AWS_KEY_ID} to check the payout incident` }, 422, /justification: .*AWS access key id/],
      [{ ...base, durationMinutes: '0x3c' }, 400, /durationMinutes/],
      [{ ...base, durationMinutes: [60] }, 400, /durationMinutes/],
      [{ ...base, approvedBy: 'usr_seoyeon_park' }, 400, /approvedBy/],
      [{ ...base, justification: { a: { b: { c: { d: { e: { f: { g: 'deep' } } } } } } } }, 400, /nests deeper/],
    ];
    for (const [body, status, message] of cases) {
      const res = await post(body);
      const json = await res.json();
      expect(res.status(), JSON.stringify(body)).toBe(status);
      expect(json.error.message).toMatch(message);
      expect(JSON.stringify(json)).not.toContain(AWS_KEY_ID);
    }
    // Not JSON: 415, whatever the body.
    expect((await post(JSON.stringify(base), { 'content-type': 'text/plain' })).status()).toBe(415);
    expect((await page.request.post('/api/v1/requests', { form: { ...base, durationMinutes: '60' } })).status()).toBe(415);
    const mine = (await (await page.request.get('/api/v1/requests?limit=100')).json()).requests as { ticketRef: string | null }[];
    expect(mine.filter((r) => r.ticketRef === marker)).toEqual([]);
    // The same body, clean, is written: the refusals above were about the text.
    expect((await post({ ...base, justification: 'Checking the payout incident, clean this time' })).status()).toBe(201);
  });

  test('decision comments get the same checks', async ({ page }) => {
    await page.context().addCookies([await sessionCookie('usr_lucas_meyer')]);
    const created = await page.request.post('/api/v1/requests', { data: { ...BASE, justification: 'Target of the comment checks, cancelled at the end' } });
    expect(created.status()).toBe(201);
    const id = (await created.json()).request.id as string;
    expect((await page.request.post(`/api/v1/requests/${id}/cancel`, { data: { comment: 'oops\u0000' } })).status()).toBe(400);
    expect((await page.request.post(`/api/v1/requests/${id}/cancel`, { data: { comment: `key ${AWS_KEY_ID}` } })).status()).toBe(422);
    expect((await page.request.post(`/api/v1/requests/${id}/cancel`, { data: { comment: 'fine', extra: 1 } })).status()).toBe(400);
    expect((await (await page.request.get(`/api/v1/requests/${id}`)).json()).request.status).toBe('PENDING');
    expect((await page.request.post(`/api/v1/requests/${id}/cancel`, { data: { comment: 'Done with the checks' } })).status()).toBe(200);
  });
});
