import { expect, sessionCookie, test, USERS } from './fixtures/test';

test('engineer: my active grants with the time left and how to use each, and my pending requests; no security or ops sections', async ({
  page,
  browser,
  loginAs,
}) => {
  await loginAs('ENGINEER');
  const ask = async (secretId: string, justification: string) => {
    const res = await page.request.post('/api/v1/requests', { data: { type: 'SECRET_READ', secretId, justification, durationMinutes: 45 } });
    expect(res.status()).toBe(201);
    return ((await res.json()) as { request: { id: string } }).request.id;
  };
  const granted = await ask('sec_dev_payments_stripe_api_key', 'Home page: check the dev webhook signing');
  const pending = await ask('sec_prod_payments_db_app_password', 'Home page: pending prod request for the list');
  const security = await browser.newContext();
  await security.addCookies([await sessionCookie(USERS.SECURITY.id)]);
  expect((await security.request.post(`/api/v1/requests/${granted}/approve`, { data: {} })).status()).toBe(200);
  await security.close();
  await expect
    .poll(async () => ((await (await page.request.get(`/api/v1/requests/${granted}`)).json()) as { grant?: { status: string } }).grant?.status, {
      timeout: 15_000,
    })
    .toBe('ACTIVE');

  await page.goto('/');
  const grant = page.getByTestId('home-grants').locator(`li[data-request-id="${granted}"]`);
  await expect(grant.getByTestId('grant-plain')).toContainText('Read the value of secret dev/payments/stripe-api-key in dev until');
  await expect(grant.getByTestId('grant-command')).toContainText(
    /^aws secretsmanager get-secret-value --secret-id 'arn:aws:secretsmanager:([a-z0-9-]+):\d{12}:secret:dev\/payments\/stripe-api-key-\w{6}' --region \1 /,
  );
  await expect(grant.getByTestId('grant-console')).toHaveAttribute(
    'href',
    /^https:\/\/[a-z0-9-]+\.console\.aws\.amazon\.com\/secretsmanager\/secret\?name=dev%2Fpayments%2Fstripe-api-key&region=/,
  );
  await expect(grant).toContainText(/Sign in to account \d{12} first/);
  // A live countdown: it moves without a reload.
  const countdown = grant.getByTestId('grant-countdown');
  await expect(countdown).toContainText(/^4\d:\d{2} left$/);
  const first = await countdown.innerText();
  await expect(countdown).not.toHaveText(first, { timeout: 3_000 });

  await expect(page.getByTestId('home-pending').locator(`li[data-request-id="${pending}"]`)).toContainText('0 of 2 approvals');
  await expect(page.getByTestId('home-security')).toHaveCount(0);
  await expect(page.getByTestId('home-ops')).toHaveCount(0);

  // On a phone the long command scrolls inside its box; the page does not get wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(grant.getByTestId('grant-command')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test('security: approvals waiting oldest first with their age, break-glass to review, IAM findings new since the last visit', async ({
  page,
  browser,
  loginAs,
}) => {
  // Daniel breaks glass on his team's prod secret: it waits for review.
  const daniel = await browser.newContext();
  await daniel.addCookies([await sessionCookie('usr_daniel_okafor')]);
  const glass = await daniel.request.post('/api/v1/requests', {
    data: {
      type: 'SECRET_READ',
      secretId: 'sec_prod_data_warehouse_readonly',
      justification: 'Home page: the nightly export is broken',
      durationMinutes: 15,
      breakGlass: true,
      breakGlassReason: 'Exports to the warehouse fail since 02:00',
    },
  });
  expect(glass.status()).toBe(201);
  const glassId = ((await glass.json()) as { request: { id: string } }).request.id;

  await loginAs('SECURITY');
  await page.goto('/');
  const approvals = page.getByTestId('home-approvals');
  // Other specs add requests meanwhile: the page and the API are compared on one reload when both agree.
  await expect(async () => {
    await page.reload();
    const queue = ((await (await page.request.get('/api/v1/approvals')).json()) as { requests: { id: string }[] }).requests.map((r) => r.id);
    await expect(approvals.getByTestId('home-approvals-count')).toHaveText(String(queue.length), { timeout: 1_000 });
    // Oldest first, as the queue orders them, each with how long it has waited.
    const shown = await approvals.locator('li[data-request-id]').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-request-id')));
    expect(shown).toEqual(queue.slice(0, shown.length));
  }).toPass({ timeout: 30_000 });
  const shown = await approvals.locator('li[data-request-id]').count();
  if (shown) await expect(approvals.getByTestId('age').first()).toHaveText(/^waiting \d+ (min|h|d)/);

  await expect(page.getByTestId('home-break-glass').locator(`li[data-request-id="${glassId}"]`)).toContainText('Exports to the warehouse fail since 02:00');

  // Findings: "new since the last visit" counts from the user's last visit to the IAM audit.
  const findings = page.getByTestId('home-findings-summary');
  await expect(findings).toHaveText(/You have not opened the IAM audit yet|No IAM scan has run yet|since your last visit/);
  await page.goto('/iam-audit');
  await page.goto('/');
  await expect(page.getByTestId('home-findings-summary')).toHaveText(/since your last visit|No IAM scan has run yet/);
  await expect(page.getByTestId('home-findings-summary')).not.toHaveText(/not opened the IAM audit yet/);

  await expect(page.getByTestId('home-ops')).toHaveCount(0);
  await expect(page.getByTestId('home-security').getByRole('alert')).toHaveCount(0);

  // Daniel gives the break-glass access back: one break-glass at a time, and other specs break glass as him.
  const grantOf = async () => ((await (await daniel.request.get(`/api/v1/requests/${glassId}`)).json()) as { grant?: { id: string; status: string } }).grant;
  await expect.poll(async () => (await grantOf())?.status, { timeout: 20_000 }).toBe('ACTIVE');
  const back = await daniel.request.post(`/api/v1/grants/${(await grantOf())!.id}/give-back`, { data: {}, headers: { origin: new URL(page.url()).origin } });
  expect(back.status()).toBe(200);
  await daniel.close();
});

test('ops: alarms in ALARM, unhealthy environments, plans waiting and today’s cost against the usual, each on its own', async ({ page, loginAs }) => {
  await loginAs('OPS');
  await page.goto('/');
  const ops = page.getByTestId('home-ops');
  for (const id of ['home-alarms', 'home-health', 'home-plans', 'home-cost']) await expect(ops.getByTestId(id)).toBeVisible();
  await expect(ops.getByTestId('home-alarms-error')).toHaveCount(0);
  // The firing alarms the home page lists are the ones the alarms API reports in ALARM (the
  // sandbox's alarms change state over time: page and API are read again until they agree).
  await expect(async () => {
    await page.reload();
    const api = (await (await page.request.get('/api/v1/alarms?state=ALARM')).json()) as { matched: number };
    await expect(ops.getByTestId('home-alarms-count')).toHaveText(String(api.matched), { timeout: 1_000 });
    await expect(ops.getByTestId('home-alarms').locator('li[data-alarm]')).toHaveCount(Math.min(api.matched, 8), { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  // Today is partial and labelled so; the usual day says what it averages.
  await expect(ops.getByTestId('home-cost-today')).toHaveText(/^\$\d/);
  await expect(ops.getByTestId('home-cost')).toContainText('not over yet');
  await expect(ops.getByTestId('home-cost-usual')).toHaveText(/average of the previous \d full days this month|No earlier full day this month/);
  await expect(page.getByTestId('home-security')).toHaveCount(0);
  // Priya is an engineer too: her own access is there as well.
  await expect(page.getByTestId('home-access')).toBeVisible();
});

test('admin: every role’s sections', async ({ page, loginAs }, testInfo) => {
  await loginAs('ADMIN');
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/');
  for (const id of ['home-security', 'home-ops', 'home-access']) await expect(page.getByTestId(id)).toBeVisible();
  await expect(page.getByTestId('home-findings-summary')).toBeVisible();
  await expect(page.getByTestId('home-cost-today')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('home-admin-1440.png'), fullPage: true });
});
