import { E2E_BASE_URL } from './fixtures/constants';
import { expect, sessionCookie, test, USERS } from './fixtures/test';

// Prod step-up with local sign-in (docs/decisions/046-step-up.md): a session older than
// STEP_UP_MAX_AGE_MINUTES (15 by default) confirms it is the user before deciding on prod.

test('a session signed in an hour ago must confirm before deciding on prod; the API refuses it and writes nothing', async ({ page, loginAs, playwright }) => {
  const api = async (userId: string, signedInMinutesAgo: number | null) => {
    const cookie = await sessionCookie(userId, { signedInMinutesAgo });
    return {
      cookie,
      ctx: await playwright.request.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: { origin: E2E_BASE_URL, cookie: `${cookie.name}=${cookie.value}` } }),
    };
  };
  const { ctx: engineer } = await api(USERS.ENGINEER.id, 0);
  const created = await engineer.post('/api/v1/requests', {
    data: { type: 'SECRET_READ', secretId: 'sec_prod_payments_stripe_api_key', justification: 'Step-up check of the payout run', durationMinutes: 30 },
  });
  expect(created.status()).toBe(201);
  const requestId = ((await created.json()) as { request: { id: string } }).request.id;

  // Through the API: an old session, and one from before sessions carried their sign-in time.
  for (const minutes of [60, null]) {
    const { ctx } = await api(USERS.SECURITY.id, minutes);
    for (const verb of ['approve', 'reject']) {
      const res = await ctx.post(`/api/v1/requests/${requestId}/${verb}`, { data: { comment: 'stale' } });
      expect(res.status()).toBe(403);
      expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({
        code: 'STEP_UP_REQUIRED',
        message: expect.stringContaining('Sign in again to decide on prod'),
      });
    }
    await ctx.dispose();
  }
  const unchanged = (await (await engineer.get(`/api/v1/requests/${requestId}`)).json()) as { request: { status: string }; decisions: unknown[] };
  expect(unchanged.request.status).toBe('PENDING');
  expect(unchanged.decisions).toEqual([]);

  // In the portal: "Confirm it's you" instead of the buttons.
  await loginAs('SECURITY', { signedInMinutesAgo: 60 });
  const oldCookie = (await page.context().cookies()).find((c) => c.name === 'next-auth.session-token')!;
  await page.goto(`/requests/${requestId}`);
  const stepUp = page.getByTestId('step-up');
  await expect(stepUp).toContainText('Confirm it’s you');
  await expect(stepUp).toContainText('needs a sign-in from the last 15 minutes');
  await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  await stepUp.getByRole('button', { name: `Confirm, I am ${USERS.SECURITY.name}` }).click();

  // The session is issued again with a new sign-in time: the buttons are back, the approval counts.
  await expect(page.getByTestId('step-up')).toHaveCount(0);
  const fresh = (await page.context().cookies()).find((c) => c.name === 'next-auth.session-token')!;
  expect(fresh.value).not.toBe(oldCookie.value);
  await page.getByLabel('Comment (optional)').fill('Confirmed and approved');
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByTestId('decisions')).toContainText(USERS.SECURITY.name);
  await expect(page.getByTestId('timeline')).toContainText('auth.step_up');
  await expect(page.getByTestId('timeline')).toContainText('request.approval');

  // The replaced session is ended on the server: its cookie is refused.
  const old = await playwright.request.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: { cookie: `${oldCookie.name}=${oldCookie.value}` } });
  expect((await old.get('/api/v1/me')).status()).toBe(401);
  await old.dispose();
  await engineer.dispose();
});

test('dev decisions need no step-up, even from an old session', async ({ page, loginAs }) => {
  await loginAs('ENGINEER');
  const created = await page.request.post('/api/v1/requests', {
    headers: { origin: E2E_BASE_URL },
    data: { type: 'SECRET_READ', secretId: 'sec_dev_payments_stripe_api_key', justification: 'Dev check without step-up', durationMinutes: 30 },
  });
  expect(created.status()).toBe(201);
  const requestId = ((await created.json()) as { request: { id: string } }).request.id;
  await page.context().clearCookies();
  await loginAs('SECURITY', { signedInMinutesAgo: 240 });
  await page.goto(`/requests/${requestId}`);
  await expect(page.getByTestId('step-up')).toHaveCount(0);
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.locator('[data-status]').first()).toHaveText(/Approved|Active/);
});
