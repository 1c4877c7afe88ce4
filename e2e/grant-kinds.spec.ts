import type { APIRequestContext } from '@playwright/test';
import { expect, sessionCookie, test, USERS } from './fixtures/test';

// Each test acts as its own requester so that parallel specs never share a grant.

async function approve(request: APIRequestContext, id: string) {
  const res = await request.post(`/api/v1/requests/${id}/approve`, { data: {} });
  expect(res.status()).toBe(200);
}

async function activeGrantId(request: APIRequestContext, id: string): Promise<string> {
  await expect.poll(async () => (await (await request.get(`/api/v1/requests/${id}`)).json()).grant?.status, { timeout: 15_000 }).toBe('ACTIVE');
  return (await (await request.get(`/api/v1/requests/${id}`)).json()).grant.id as string;
}

test('a team role is materialised on approval, shown with how to assume it, and its sessions are cut on give-back', async ({ page, browser }) => {
  await page.context().addCookies([await sessionCookie('usr_daniel_okafor')]);
  const created = await page.request.post('/api/v1/requests', {
    data: { type: 'ROLE', roleId: 'role_data_dev_read_only', justification: 'Investigate the failed nightly export', durationMinutes: 120 },
  });
  expect(created.status()).toBe(201);
  const id = (await created.json()).request.id as string;

  const security = await browser.newContext();
  await security.addCookies([await sessionCookie(USERS.SECURITY.id)]);
  const sp = await security.newPage();
  await sp.goto(`/requests/${id}`);
  // Before the decision: the role that will be made and the exact grant policy.
  const preview = sp.getByTestId('policy-preview');
  await expect(preview.getByTestId('grant-setup')).toContainText('arn:aws:iam::111122223333:role/gatehouse/roles/gatehouse-data-dev-read-only');
  await expect(preview).toContainText('Allows sts:TagSession on arn:aws:iam::111122223333:role/gatehouse/roles/gatehouse-data-dev-read-only');
  await approve(security.request, id);
  await security.close();

  const grantId = await activeGrantId(page.request, id);
  await page.goto(`/requests/${id}`);
  const setup = page.getByTestId('grant-panel').getByTestId('grant-setup');
  await expect(setup).toContainText(
    'The team role arn:aws:iam::111122223333:role/gatehouse/roles/gatehouse-data-dev-read-only is ready; sessions last at most 60 minutes.',
  );
  await expect(setup).toContainText(`--tags Key=gatehouse-grant,Value=${grantId}`);
  // How to use it: a CLI profile whose credentials carry this grant's session tag (a role_arn profile cannot tag).
  const profile = page.getByTestId('grant-usage').getByTestId('grant-profile');
  await expect(profile).toContainText('[profile gatehouse-data-dev-read-only]');
  await expect(profile).toContainText(
    `credential_process = sh -c 'aws sts assume-role --profile default --role-arn arn:aws:iam::111122223333:role/gatehouse/roles/gatehouse-data-dev-read-only --role-session-name gatehouse-${grantId} --tags Key=gatehouse-grant,Value=${grantId} `,
  );
  await expect(profile).toContainText(/region = [a-z]+-[a-z]+-\d/);
  await expect(page.getByTestId('grant-usage').getByTestId('grant-command')).toHaveText('aws sts get-caller-identity --profile gatehouse-data-dev-read-only');

  await page.goto('/sandbox');
  const role = page.locator('tr[data-role-name="gatehouse-data-dev-read-only"]');
  await expect(role).toContainText('60 min');
  await expect(role.getByTestId('revoked-sessions')).toHaveText('0');

  await page.goto(`/requests/${id}`);
  await page.getByRole('button', { name: 'Give access back now' }).click();
  await page.getByRole('button', { name: 'Yes, give it back' }).click();
  await expect(page.locator('[data-grant-status]')).toHaveText('Ended');
  await page.goto('/sandbox');
  await expect(role.getByTestId('revoked-sessions')).toHaveText('1');
  await expect(page.locator(`tr[data-policy-name="gatehouse-grant-${grantId}"]`)).toHaveCount(0);
});

test('a registration creates the secret with a random value, catalogues it, and allows setting the value for its window', async ({ page, browser }) => {
  // Security registers a secret too; another security engineer approves (admin.spec remaps the admin).
  await page.context().addCookies([await sessionCookie(USERS.SECURITY.id)]);
  const created = await page.request.post('/api/v1/requests', {
    data: {
      type: 'SECRET_REGISTER',
      environment: 'DEV',
      teamId: 'team_data',
      secretName: 'e2e-export-signing-key',
      description: 'Signs the nightly export files',
      justification: 'New signing key for the export job',
      durationMinutes: 60,
    },
  });
  expect(created.status()).toBe(201);
  const id = (await created.json()).request.id as string;
  const approver = await browser.newContext();
  await approver.addCookies([await sessionCookie('usr_lucas_meyer')]);
  await approve(approver.request, id);
  await approver.close();

  await activeGrantId(page.request, id);
  await page.goto(`/requests/${id}`);
  const panel = page.getByTestId('grant-panel');
  await expect(panel.getByTestId('grant-setup')).toContainText(
    'Gatehouse created the secret dev/data/e2e-export-signing-key with a random initial value generated by AWS; it is now in the catalog.',
  );
  await expect(panel).toContainText(
    /Allows secretsmanager:DescribeSecret, secretsmanager:PutSecretValue on arn:aws:secretsmanager:[a-z0-9-]+:111122223333:secret:dev\/data\/e2e-export-signing-key-[A-Za-z0-9]{6}/,
  );

  await page.goto('/catalog');
  await expect(page.getByText('dev/data/e2e-export-signing-key', { exact: true }).first()).toBeVisible();
  await page.goto('/sandbox');
  await expect(page.locator('li[data-secret-name="dev/data/e2e-export-signing-key"]')).toContainText('created by grant');
});

test('a grant whose end is moved close ends by itself, and its policy is removed', async ({ page, browser }) => {
  await page.context().addCookies([await sessionCookie('usr_jaewon_choi')]);
  const created = await page.request.post('/api/v1/requests', {
    data: { type: 'SECRET_READ', secretId: 'sec_dev_payments_stripe_api_key', justification: 'Check the dev payout webhook', durationMinutes: 60 },
  });
  const id = (await created.json()).request.id as string;
  const security = await browser.newContext();
  await security.addCookies([await sessionCookie(USERS.SECURITY.id)]);
  await approve(security.request, id);
  await security.close();
  const grantId = await activeGrantId(page.request, id);

  // Bad input is refused and changes nothing.
  const late = await page.request.post(`/api/v1/grants/${grantId}/shorten`, { data: { endsAt: new Date(Date.now() + 3 * 3_600_000).toISOString() } });
  expect(late.status()).toBe(422);
  expect((await page.request.post(`/api/v1/grants/${grantId}/shorten`, { data: { endsAt: 'tomorrow-ish' } })).status()).toBe(400);

  const endsAt = new Date(Date.now() + 12_000);
  const shortened = await page.request.post(`/api/v1/grants/${grantId}/shorten`, { data: { endsAt: endsAt.toISOString(), comment: 'done early' } });
  expect(shortened.status()).toBe(200);
  expect(await shortened.json()).toMatchObject({ appliedInAws: true });
  await page.goto('/sandbox');
  await expect(page.locator(`tr[data-policy-name="gatehouse-grant-${grantId}"]`)).toContainText(endsAt.toISOString());

  await page.goto(`/requests/${id}`);
  await expect(async () => {
    await page.reload();
    await expect(page.locator('[data-grant-status]')).toHaveText('Ended', { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId('grant-panel')).toContainText('Ended: expired');
  await page.goto('/sandbox');
  await expect(page.locator(`tr[data-policy-name="gatehouse-grant-${grantId}"]`)).toHaveCount(0);
});

test('a policy changed outside Gatehouse is found by the reconciler and restored with one click', async ({ page, browser }) => {
  const holder = await browser.newContext();
  await holder.addCookies([await sessionCookie('usr_lucas_meyer')]);
  const created = await holder.request.post('/api/v1/requests', {
    data: { type: 'SECRET_READ', secretId: 'sec_dev_data_warehouse_readonly', justification: 'Compare warehouse grants for the audit', durationMinutes: 60 },
  });
  const id = (await created.json()).request.id as string;
  const security = await browser.newContext();
  await security.addCookies([await sessionCookie(USERS.SECURITY.id)]);
  await approve(security.request, id);
  await security.close();
  const grantId = await activeGrantId(holder.request, id);
  const policyName = `gatehouse-grant-${grantId}`;
  await holder.close();

  await page.context().addCookies([await sessionCookie(USERS.SECURITY.id)]);
  await page.goto('/sandbox');
  const row = page.locator(`tr[data-policy-name="${policyName}"]`);
  await row.getByRole('button', { name: 'Widen' }).click();
  await expect(row).toContainText('AddedOutsideGatehouse');

  await page.goto('/reconcile');
  // With several accounts a finding's id names its account too (…@111122223333).
  const finding = page.locator(`tr[data-finding-id^="DRIFT_DOCUMENT:${policyName}"]`);
  await expect(finding).toContainText('Document drift');
  await finding.getByRole('button', { name: 'Fix' }).click();
  await expect(finding).toHaveCount(0);

  await page.goto('/sandbox');
  await expect(row).not.toContainText('AddedOutsideGatehouse');
  await expect(row).toContainText('arn:aws:iam::111122223333:user/lucas.meyer');
});
