import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from '@playwright/test';
import { E2E_BASE_URL } from './fixtures/constants';
import { expect, sessionCookie, test, USERS } from './fixtures/test';

const LUCAS = { id: 'usr_lucas_meyer', name: 'Lucas Meyer' };

async function pageAs(browser: Browser, userId: string) {
  const context = await browser.newContext();
  await context.addCookies([await sessionCookie(userId)]);
  return { context, page: await context.newPage() };
}

test('a prod secret read needs two security approvals, and the history verifies', async ({ page, loginAs, browser }) => {
  await loginAs('ENGINEER');
  await page.goto('/requests/new');
  await page.getByLabel('Secret', { exact: true }).selectOption({ label: 'prod/payments/stripe-api-key (Payments)' });
  await expect(page.getByTestId('rule-preview')).toContainText('2 approvals from the security team; at most 8 h');
  await page.getByLabel('Justification').fill('Reconciling the failed payout batch of INC-4711');
  await page.getByLabel('Ticket (optional)').fill('INC-4711');
  await page.getByLabel('Duration (minutes)').fill('120');
  await page.getByRole('button', { name: 'Submit request' }).click();
  await expect(page).toHaveURL(/\/requests\/(?!new$)[a-z0-9]+$/);
  const requestUrl = page.url();
  const requestId = requestUrl.split('/').pop()!;
  await expect(page.locator('[data-status]').first()).toHaveText('Pending');
  // The requester cannot approve: no form in the UI, 403 from the API.
  await expect(page.getByTestId('decision-form')).toHaveCount(0);
  await expect(page.getByText('This is your request: someone else decides on it.')).toBeVisible();
  const self = await page.request.post(`/api/v1/requests/${requestId}/approve`, { data: {} });
  expect(self.status()).toBe(403);
  expect((await self.json()).error).toEqual({ code: 'FORBIDDEN', message: 'You cannot approve or reject your own request.' });

  // First security approver: still pending (prod needs two).
  const first = await pageAs(browser, USERS.SECURITY.id);
  await first.page.goto('/approvals');
  await first.page.getByTestId('approval-queue').getByRole('link').first().waitFor();
  await first.page.goto(requestUrl);
  await first.page.getByLabel('Comment (optional)').fill('Scoped to the incident');
  await first.page.getByRole('button', { name: 'Approve' }).click();
  // The page reloads with the decision listed, and no decision form for someone who has decided.
  await expect(first.page.getByTestId('decisions')).toContainText(USERS.SECURITY.name);
  await expect(first.page.getByTestId('decisions')).toContainText('Scoped to the incident');
  await expect(first.page.getByTestId('decision-form')).toHaveCount(0);
  await expect(first.page.locator('[data-status]').first()).toHaveText('Pending');
  // Approving twice is refused.
  const twice = await first.page.request.post(`/api/v1/requests/${requestId}/approve`, { data: { comment: 'again' } });
  expect(twice.status()).toBe(409);
  await first.context.close();

  // Second security approver: approved.
  const second = await pageAs(browser, LUCAS.id);
  await second.page.goto(requestUrl);
  await second.page.getByRole('button', { name: 'Approve' }).click();
  // Approved, and (the grant engine applies it within moments) active.
  await expect(second.page.locator('[data-status]').first()).toHaveText(/Approved|Active/);
  await expect(second.page.getByTestId('timeline')).toContainText('Request created');
  await expect(second.page.getByTestId('timeline')).toContainText('Request approved');
  const verify = await second.page.request.post('/api/v1/audit/verify');
  expect(verify.status()).toBe(200);
  expect((await verify.json()).ok).toBe(true);
  await second.context.close();

  await page.reload();
  await expect(page.locator('[data-status]').first()).toHaveText(/Approved|Active/);
  const detail = await (await page.request.get(`/api/v1/requests/${requestId}`)).json();
  expect(['APPROVED', 'ACTIVE']).toContain(detail.request.status);
  expect(detail.decisions.map((d: { approver: { name: string } }) => d.approver.name)).toEqual([USERS.SECURITY.name, LUCAS.name]);
});

test('a break-glass request is approved at once and waits in the review queue, flagged', async ({ page, loginAs, browser }) => {
  await loginAs('ENGINEER');
  await page.goto('/requests/new');
  await page.getByLabel('Secret', { exact: true }).selectOption({ label: 'prod/payments/db-app-password (Payments)' });
  await page.getByLabel('Justification').fill('Payments API cannot reach its database since 09:12');
  await expect(page.getByTestId('rule-preview')).toContainText('at most 8 h');
  await page.getByLabel('Break-glass: production is broken and I need it now').check();
  // The rule box says the break-glass rule alone, from the rules: not "2 approvals, at most 8 h" beside "at once for 1 hour".
  await expect(page.getByTestId('rule-preview')).toContainText('Break-glass: approved at once, without approvals, for at most 1 h');
  await expect(page.getByTestId('rule-preview')).not.toContainText('at most 8 h');
  await page.getByLabel('What is broken?').fill('Connection pool exhausted, need to verify the credentials');
  await page.getByLabel('Duration (minutes)').fill('60');
  await page.getByRole('button', { name: 'Submit request' }).click();
  await expect(page).toHaveURL(/\/requests\/(?!new$)[a-z0-9]+$/);
  await expect(page.locator('[data-status]').first()).toHaveText(/Approved|Active/);
  await expect(page.getByTestId('break-glass-flag')).toBeVisible();
  const requestId = page.url().split('/').pop()!;
  // Approved at once, so no "Decisions 0/2" and no "Starts: on approval"; the review is what is pending.
  await expect(page.getByTestId('frozen-rule')).toHaveText(
    'Break-glass: approved at once, without approvals, for 1 h; the security team reviews it afterwards.',
  );
  await expect(page.getByTestId('request-starts')).toContainText('at once (');
  await expect(page.getByTestId('request-starts')).not.toContainText('on approval');
  await expect(page.getByText(/Decisions \(0\/2\)/)).toHaveCount(0);
  await expect(page.getByTestId('break-glass-review')).toContainText('The security team has not reviewed it yet.');

  const reviewer = await pageAs(browser, LUCAS.id);
  await reviewer.page.goto('/break-glass');
  const row = reviewer.page.locator(`tr[data-request-id="${requestId}"]`);
  await expect(row).toContainText('Connection pool exhausted');
  // The comment box has a visible label, and the comment is shown once reviewed.
  await row.getByLabel('Review comment (optional)').fill('Confirmed with the on-call lead: pool exhaustion, INC-5120');
  await row.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(row).toContainText(`Acknowledged by ${LUCAS.name}`);
  await expect(row.getByTestId('break-glass-comment')).toHaveText('“Confirmed with the on-call lead: pool exhaustion, INC-5120”');
  await reviewer.context.close();
  await page.reload();
  await expect(page.getByTestId('break-glass-review')).toContainText(`Acknowledged by ${LUCAS.name}`);
  await expect(page.getByTestId('break-glass-review').getByTestId('break-glass-comment')).toHaveText(
    '“Confirmed with the on-call lead: pool exhaustion, INC-5120”',
  );
});

test('break-glass limits: own teams only, one at a time, N per 24 h, no extension; the channel hears at once; escalating revokes', async ({
  page,
  browser,
  playwright,
}) => {
  test.setTimeout(60_000);
  const JAEWON = 'usr_jaewon_choi';
  const api = async (userId: string) => {
    const cookie = await sessionCookie(userId);
    return playwright.request.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: { origin: E2E_BASE_URL, cookie: `${cookie.name}=${cookie.value}` } });
  };
  const lead = await api(JAEWON);
  const glass = (secretId: string, extra: Record<string, unknown> = {}) => ({
    data: {
      type: 'SECRET_READ',
      secretId,
      justification: 'Payments API returns 500 since 09:12',
      durationMinutes: 30,
      breakGlass: true,
      breakGlassReason: 'Payouts stuck, need the key to check',
      ...extra,
    },
  });
  const mine = async () => ((await (await lead.get('/api/v1/requests?limit=100')).json()) as { requests: { id: string }[] }).requests.length;

  // Another team's resource: refused, nothing written.
  const daniel = await api('usr_daniel_okafor');
  const foreign = await daniel.post('/api/v1/requests', glass('sec_prod_payments_stripe_api_key'));
  expect(foreign.status()).toBe(422);
  expect(((await foreign.json()) as { error: { message: string } }).error.message).toMatch(/only for resources of your own teams/);

  const first = await lead.post('/api/v1/requests', glass('sec_prod_payments_stripe_api_key'));
  expect(first.status()).toBe(201);
  const firstId = ((await first.json()) as { request: { id: string } }).request.id;
  // The security channel hears of it at once, not at the delivery job's next tick (every 10 s).
  const log = path.resolve('.test-results/e2e-server.log');
  await expect
    .poll(
      () =>
        fs
          .readFileSync(log, 'utf8')
          .split('\n')
          .some((l) => l.includes('Break-glass access') && l.includes(`/requests/${firstId}`)),
      { timeout: 2_000, intervals: [100] },
    )
    .toBe(true);

  const count = await mine();
  const second = await lead.post('/api/v1/requests', glass('sec_prod_payments_db_app_password'));
  expect(second.status()).toBe(409);
  expect(((await second.json()) as { error: { message: string } }).error.message).toBe(
    'You already hold break-glass access; give it back or let it end before breaking glass again.',
  );
  const chained = await lead.post('/api/v1/requests', glass('sec_prod_payments_stripe_api_key', { extendsRequestId: firstId }));
  expect(chained.status()).toBe(422);
  expect(await mine()).toBe(count);

  // Security escalates in the review: the grant is revoked at once.
  const reviewer = await pageAs(browser, LUCAS.id);
  await reviewer.page.goto('/break-glass');
  const row = reviewer.page.locator(`tr[data-request-id="${firstId}"]`);
  await row.getByRole('button', { name: 'Escalate' }).click();
  await expect(row).toContainText(`Escalated by ${LUCAS.name}`);
  await reviewer.context.close();
  await expect
    .poll(async () => ((await (await lead.get(`/api/v1/requests/${firstId}`)).json()) as { grant: { status: string } }).grant.status, { timeout: 10_000 })
    .toBe('ENDED');
  const revoked = (await (await lead.get(`/api/v1/requests/${firstId}`)).json()) as { request: { status: string }; grant: { endReason: string } };
  expect(revoked).toMatchObject({ request: { status: 'ENDED' }, grant: { endReason: 'REVOKED' } });

  // A second use in 24 h is allowed; once given back, a third is refused (at most 2 per 24 h).
  const again = await lead.post('/api/v1/requests', glass('sec_prod_payments_db_app_password'));
  expect(again.status()).toBe(201);
  const againId = ((await again.json()) as { request: { id: string } }).request.id;
  await expect
    .poll(async () => ((await (await lead.get(`/api/v1/requests/${againId}`)).json()) as { grant?: { status: string } }).grant?.status, { timeout: 15_000 })
    .toBe('ACTIVE');
  const grantId = ((await (await lead.get(`/api/v1/requests/${againId}`)).json()) as { grant: { id: string } }).grant.id;
  expect((await lead.post(`/api/v1/grants/${grantId}/give-back`, { data: {} })).status()).toBe(200);
  const third = await lead.post('/api/v1/requests', glass('sec_prod_payments_stripe_api_key'));
  expect(third.status()).toBe(409);
  expect(((await third.json()) as { error: { message: string } }).error.message).toMatch(/used break-glass 2 times in the last 24 hours/);

  // The requester sees the refusal on the form too.
  await page.context().addCookies([await sessionCookie(JAEWON)]);
  await page.goto('/requests/new');
  await page.getByLabel('Secret', { exact: true }).selectOption({ label: 'prod/payments/stripe-api-key (Payments)' });
  await page.getByLabel('Justification').fill('Payments API returns 500 since 09:12');
  await page.getByLabel('Break-glass: production is broken and I need it now').check();
  await page.getByLabel('What is broken?').fill('Payouts stuck, need the key to check');
  await page.getByLabel('Duration (minutes)').fill('30');
  await page.getByRole('button', { name: 'Submit request' }).click();
  await expect(page.getByText(/used break-glass 2 times in the last 24 hours/)).toBeVisible();
  await expect(page).toHaveURL(/\/requests\/new$/);
  for (const ctx of [lead, daniel]) await ctx.dispose();
});

test('bad input gets a clear error and writes nothing', async ({ page, loginAs }) => {
  await loginAs('ENGINEER');
  const before = (await (await page.request.get('/api/v1/requests?limit=100')).json()).requests.length;
  const cases: [unknown, number, RegExp][] = [
    [{ type: 'SECRET_READ', secretId: 'sec_prod_payments_stripe_api_key', justification: 'short', durationMinutes: 60 }, 400, /justification/],
    [
      { type: 'SECRET_READ', secretId: 'sec_prod_payments_stripe_api_key', justification: 'Long enough reason here', durationMinutes: 6000 },
      422,
      /at most 8 h/,
    ],
    [{ type: 'SECRET_READ', secretId: 'sec_nope', justification: 'Long enough reason here', durationMinutes: 60 }, 422, /not in the catalog/],
    [{ type: 'NOPE' }, 400, /type/],
    ['not json at all', 400, /./],
  ];
  for (const [body, status, message] of cases) {
    const res = await page.request.post(
      '/api/v1/requests',
      typeof body === 'string' ? { data: body, headers: { 'content-type': 'application/json' } } : { data: body },
    );
    expect(res.status(), JSON.stringify(body)).toBe(status);
    expect((await res.json()).error.message).toMatch(message);
  }
  const after = (await (await page.request.get('/api/v1/requests?limit=100')).json()).requests.length;
  expect(after).toBe(before);
  // The form shows the rule's limit as a form error.
  await page.goto('/requests/new');
  await page.getByLabel('Secret', { exact: true }).selectOption({ label: 'dev/payments/stripe-api-key (Payments)' });
  await page.getByLabel('Justification').fill('x');
  await page.getByRole('button', { name: 'Submit request' }).click();
  await expect(page).toHaveURL(/\/requests\/new$/);
});

test('an engineer cannot see another engineer’s request (404) nor list everything (403)', async ({ page, loginAs, browser }) => {
  const other = await pageAs(browser, 'usr_daniel_okafor');
  const created = await other.page.request.post('/api/v1/requests', {
    data: { type: 'SECRET_READ', secretId: 'sec_dev_data_warehouse_readonly', justification: 'Checking the nightly export', durationMinutes: 60 },
  });
  expect(created.status()).toBe(201);
  const id = (await created.json()).request.id;
  await other.context.close();

  await loginAs('ENGINEER');
  expect((await page.request.get(`/api/v1/requests/${id}`)).status()).toBe(404);
  expect((await page.request.post(`/api/v1/requests/${id}/cancel`, { data: {} })).status()).toBe(404);
  expect((await page.request.get('/api/v1/requests?scope=all')).status()).toBe(403);
  const res = await page.goto(`/requests/${id}`);
  expect(res?.status()).toBe(404);
});
