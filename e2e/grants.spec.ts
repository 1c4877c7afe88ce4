import { expect, sessionCookie, test, USERS } from './fixtures/test';

const LUCAS = 'usr_lucas_meyer';

test('approved access is applied in the sandbox account, shown on the request, and removed when given back', async ({ page, browser }) => {
  // Priya (ops) asks: she files nothing else in the suite, so her grant is the only one on her user.
  await page.context().addCookies([await sessionCookie('usr_priya_raman')]);
  const created = await page.request.post('/api/v1/requests', {
    data: { type: 'SECRET_READ', secretId: 'sec_dev_data_warehouse_readonly', justification: 'Check the nightly export row counts', durationMinutes: 30 },
  });
  expect(created.status()).toBe(201);
  const id = (await created.json()).request.id as string;

  // The approver sees the exact policy before deciding.
  const approver = await browser.newContext();
  await approver.addCookies([await sessionCookie(USERS.SECURITY.id)]);
  const ap = await approver.newPage();
  await ap.goto(`/requests/${id}`);
  const preview = ap.getByTestId('policy-preview');
  await expect(preview).toContainText('Allows secretsmanager:DescribeSecret, secretsmanager:GetSecretValue on arn:aws:secretsmanager:');
  await expect(preview).toContainText('dev/data/warehouse-readonly-');
  await preview.getByText('Policy JSON').click();
  await expect(preview.getByTestId('policy-json')).toContainText('"aws:CurrentTime"');
  await ap.getByRole('button', { name: 'Approve' }).click();
  await expect(ap.locator('[data-status]').first()).toHaveText(/Approved|Active/);
  await approver.close();

  // Applied within moments of the decision.
  await page.goto(`/requests/${id}`);
  await expect(async () => {
    await page.reload();
    await expect(page.locator('[data-grant-status]')).toHaveText('Active', { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.locator('[data-status]').first()).toHaveText('Active');
  const policyName = (await page.getByTestId('grant-policy-name').innerText()).split('/').pop()!;
  expect(policyName).toMatch(/^gatehouse-grant-/);

  // The sandbox account really holds it, attached to Priya's IAM user.
  await page.goto('/sandbox');
  const row = page.locator(`tr[data-policy-name="${policyName}"]`);
  await expect(row).toContainText('arn:aws:iam::111122223333:user/priya.raman');

  // The holder is shown how to use it: the exact command, the console in the secret's region, the policy in words.
  await page.goto(`/requests/${id}`);
  const usage = page.getByTestId('grant-usage');
  await expect(usage.getByTestId('grant-command')).toContainText(
    /^aws secretsmanager get-secret-value --secret-id 'arn:aws:secretsmanager:([a-z0-9-]+):\d{12}:secret:dev\/data\/warehouse-readonly-\w{6}' --region \1 /,
  );
  await expect(usage.getByTestId('grant-console')).toHaveAttribute('href', /\/secretsmanager\/secret\?name=dev%2Fdata%2Fwarehouse-readonly&region=/);
  await expect(usage.getByTestId('grant-plain')).toContainText('Read the value of secret dev/data/warehouse-readonly in dev until');
  await expect(usage.getByTestId('grant-countdown')).toContainText(/\d+:\d{2} left/);

  // Give it back: it asks first; "keep it" changes nothing.
  await page.getByRole('button', { name: 'Give access back now' }).click();
  await expect(page.getByRole('group', { name: 'Give this access back now? It ends at once and cannot be undone.' })).toBeVisible();
  await page.getByRole('button', { name: 'Keep it' }).click();
  await page.reload();
  await expect(page.locator('[data-grant-status]')).toHaveText('Active');
  await page.getByRole('button', { name: 'Give access back now' }).click();
  await page.getByRole('button', { name: 'Yes, give it back' }).click();
  // Then the policy is gone and the request has ended.
  await expect(page.locator('[data-grant-status]')).toHaveText('Ended');
  // It says when it was given back, no longer "until … after that AWS refuses it".
  await expect(page.getByTestId('grant-window')).toContainText('Given back at');
  await expect(page.getByTestId('grant-panel')).not.toContainText('after that AWS itself refuses it');
  await expect(page.getByTestId('grant-ended')).toContainText('Given back at');
  await expect(page.getByTestId('grant-usage')).toHaveCount(0);
  await expect(page.locator('[data-status]').first()).toHaveText('Ended');
  await expect(page.getByTestId('grant-panel')).toContainText('Ended: given back');
  await page.goto('/sandbox');
  await expect(page.locator(`tr[data-policy-name="${policyName}"]`)).toHaveCount(0);
});

test('security revokes active access with a reason; the holder cannot revoke, only give back', async ({ browser, page }) => {
  await page.context().addCookies([await sessionCookie('usr_jaewon_choi')]);
  const created = await page.request.post('/api/v1/requests', {
    data: { type: 'SECRET_READ', secretId: 'sec_staging_payments_stripe_api_key', justification: 'Reproduce the staging refund bug', durationMinutes: 60 },
  });
  const id = (await created.json()).request.id as string;
  const lucas = await browser.newContext();
  await lucas.addCookies([await sessionCookie(LUCAS)]);
  expect((await lucas.request.post(`/api/v1/requests/${id}/approve`, { data: {} })).status()).toBe(200);
  const grantId = await expect
    .poll(async () => (await (await page.request.get(`/api/v1/requests/${id}`)).json()).grant?.status, { timeout: 15_000 })
    .toBe('ACTIVE')
    .then(async () => (await (await page.request.get(`/api/v1/requests/${id}`)).json()).grant.id as string);
  expect((await page.request.post(`/api/v1/grants/${grantId}/revoke`, { data: { comment: 'mine' } })).status()).toBe(403);
  const lp = await lucas.newPage();
  await lp.goto(`/requests/${id}`);
  await lp.getByLabel('Reason for revoking').fill('Incident closed, access no longer needed');
  await lp.getByRole('button', { name: 'Revoke' }).click();
  await expect(lp.locator('[data-grant-status]')).toHaveText('Ended');
  await expect(lp.getByTestId('grant-panel')).toContainText('Ended: revoked — “Incident closed, access no longer needed”');
  await lucas.close();
});

test('a scheduled grant becomes active on the open request page, without a reload', async ({ page, browser }) => {
  await page.context().addCookies([await sessionCookie('usr_jaewon_choi')]);
  // Starts in 12 s: the grant waits, then the job (every 2 s here) applies it.
  const startsAt = new Date(Date.now() + 12_000).toISOString();
  const created = await page.request.post('/api/v1/requests', {
    data: {
      type: 'SECRET_READ',
      secretId: 'sec_dev_payments_stripe_api_key',
      justification: 'Scheduled look at the payout config',
      durationMinutes: 30,
      startsAt,
    },
  });
  expect(created.status()).toBe(201);
  const id = (await created.json()).request.id as string;
  const security = await browser.newContext();
  await security.addCookies([await sessionCookie(USERS.SECURITY.id)]);
  expect((await security.request.post(`/api/v1/requests/${id}/approve`, { data: {} })).status()).toBe(200);
  await security.close();

  await page.goto(`/requests/${id}`);
  await expect(page.locator('[data-grant-status]')).toHaveText('Waiting to be applied');
  // No reload: the page re-renders while the job still has work on the grant.
  await expect(page.locator('[data-grant-status]')).toHaveText('Active', { timeout: 30_000 });
  await expect(page.locator('[data-status]').first()).toHaveText('Active');
});
