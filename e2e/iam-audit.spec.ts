import fs from 'node:fs';
import { expect, sessionCookie, test } from './fixtures/test';

const CSV_HEADER =
  'id,severity,kind,principal_type,principal_name,principal_arn,policy_type,policy_name,policy_arn,policy_owner_arn,statement_index,statement,why,suggested_statement,suggestion_fill_in,scan_id,scanned_at';
const LUCAS = 'usr_lucas_meyer';

test.describe('IAM audit findings', () => {
  test('security runs a scan, sees the seeded "Action": "*" finding, filters and exports CSV', async ({ page, loginAs }) => {
    await loginAs('SECURITY');
    const res = await page.goto('/iam-audit');
    expect(res?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1, name: 'IAM audit findings' })).toBeVisible();

    await page.getByRole('button', { name: 'Run scan' }).click();
    await expect(page.getByTestId('last-scan')).toContainText(/^Last scan .+ by Seo-yeon Park: \d+ principals?, \d+ managed polic(y|ies), \d+ findings?\.$/);
    const admin = page.locator('tr[data-kind="INLINE_ADMIN"][data-principal="ci-deployer"]');
    await expect(admin).toContainText('Critical');
    await expect(admin).toContainText('Inline policy allows every action on every resource');
    await expect(admin.getByLabel('Statement', { exact: true })).toContainText('"Action": "*"');
    await expect(admin.getByLabel('Suggested narrower statement')).toContainText('<service>:<Action>');
    await expect(admin).toContainText('Fill in');
    // The secret-read finding is scoped from the principal's tags: nothing to fill in.
    const secrets = page.locator('tr[data-kind="SECRET_READ_WILDCARD"][data-principal="data-analyst"]');
    await expect(secrets.getByLabel('Suggested narrower statement')).toContainText('arn:aws:secretsmanager:*:111122223333:secret:prod/data/*');
    await expect(secrets).toContainText('Scoped to team data, environment prod (from its tags).');
    // The security group may read secrets: no finding for it.
    await expect(page.locator('tr[data-principal="security"]')).toHaveCount(0);

    const form = page.getByRole('form', { name: 'Finding filters' });
    await form.getByLabel('Kind').selectOption('INLINE_ADMIN');
    await form.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/[?&]kind=INLINE_ADMIN(&|$)/);
    await expect(page.locator('tr[data-kind]').first()).toBeVisible();
    for (const kind of await page.locator('tr[data-kind]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind'))))
      expect(kind).toBe('INLINE_ADMIN');
    await expect(page.getByRole('link', { name: 'Export CSV' })).toHaveAttribute('href', '/api/v1/iam-audit/findings?format=csv&kind=INLINE_ADMIN');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^gatehouse-iam-findings-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = fs.readFileSync((await download.path())!, 'utf8').split('\r\n');
    expect(lines[0]).toBe(CSV_HEADER);
    expect(lines.find((l) => l.includes(',INLINE_ADMIN,user,ci-deployer,'))).toContain('legacy-deploy');
    expect(
      lines
        .slice(1)
        .filter(Boolean)
        .every((l) => l.includes(',INLINE_ADMIN,')),
    ).toBe(true);

    const bad = await page.goto('/iam-audit?severity=urgent');
    expect(bad?.status()).toBe(200);
    await expect(page.getByRole('alert').filter({ hasText: 'These filters are not valid' })).toContainText(
      'severity must be one of critical, high, medium, low',
    );
    await expect(page.getByTestId('iam-findings')).toHaveCount(0);
  });

  test('the export answers JSON, and 400 for another format', async ({ page, loginAs }) => {
    await loginAs('SECURITY');
    // A scan exists whichever test runs first.
    await page.goto('/iam-audit');
    await page.getByRole('button', { name: 'Run scan' }).click();
    await expect(page.getByTestId('last-scan')).toContainText('by Seo-yeon Park');

    const json = await page.request.get('/api/v1/iam-audit/findings?format=json&severity=critical');
    expect(json.status()).toBe(200);
    expect(json.headers()['content-type']).toBe('application/json');
    const body = (await json.json()) as { count: number; findings: { severity: string; kind: string; principal: { name: string } }[] };
    expect(body.count).toBe(body.findings.length);
    expect(body.findings.every((f) => f.severity === 'critical')).toBe(true);
    expect(body.findings.map((f) => f.principal.name)).toEqual(expect.arrayContaining(['ci-deployer', 'legacy-admin', 'legacy-ops']));

    const bad = await page.request.get('/api/v1/iam-audit/findings?format=xml');
    expect(bad.status()).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'BAD_REQUEST', message: 'format: format must be csv or json' } });
  });

  test('engineers and ops may not see it', async ({ page, loginAs }) => {
    for (const role of ['ENGINEER', 'OPS'] as const) {
      await loginAs(role);
      expect((await page.goto('/iam-audit'))?.status(), role).toBe(403);
      expect((await page.goto('/iam-audit/baseline'))?.status(), role).toBe(403);
      const api = await page.request.get('/api/v1/iam-audit/findings?format=csv');
      expect(api.status(), role).toBe(403);
    }
  });
});

test('secrets baseline: A proposes, A cannot approve, B approves and applies, the group holds the users outside security', async ({
  page,
  loginAs,
  context,
}) => {
  await loginAs('SECURITY');
  await page.goto('/iam-audit/baseline');
  await expect(page.getByRole('heading', { level: 1, name: 'Secrets baseline' })).toBeVisible();
  await expect(page.getByText('"secretsmanager:ListSecrets"')).toBeVisible();

  await page.getByRole('button', { name: 'Propose plan' }).click();
  const plan = page.getByTestId('baseline-plan');
  await expect(plan.getByTestId('plan-status')).toHaveText('Proposed');
  await expect(plan).toContainText('Proposed by Seo-yeon Park');
  await expect(plan.getByTestId('plan-add')).toContainText('minji.kim');
  await expect(plan.getByTestId('plan-add')).not.toContainText('seoyeon.park');

  // A cannot approve their own plan: the button says why, and the server refuses it anyway.
  await expect(plan.getByRole('button', { name: 'Approve' })).toBeDisabled();
  await expect(plan.getByTestId('own-plan-note')).toHaveText('You proposed this plan: another member of the security team or an admin must approve it.');
  const planId = await plan.getAttribute('data-plan-id');
  expect(planId).toBeTruthy();
  const own = await page.request.post(`/api/v1/iam-audit/baseline/${planId}/approve`, { data: { comment: 'self' } });
  expect(own.status()).toBe(403);
  expect((await own.json()).error.message).toBe('You proposed this plan: another member of the security team or an admin must approve it.');

  // B (the other security user) approves, then applies.
  await context.clearCookies();
  await context.addCookies([await sessionCookie(LUCAS)]);
  await page.reload();
  await expect(plan.getByRole('button', { name: 'Approve' })).toBeEnabled();
  await plan.getByLabel('Comment (optional)').fill('Matches the source document');
  await plan.getByRole('button', { name: 'Approve' }).click();
  await expect(plan.getByTestId('plan-status')).toHaveText('Approved');
  await expect(plan).toContainText('Decided by Lucas Meyer');
  await plan.getByRole('button', { name: 'Apply' }).click();
  await expect(plan.getByTestId('plan-status')).toHaveText('Applied');
  await expect(plan).toContainText('Applied by Lucas Meyer');

  const members = page.getByTestId('baseline-members');
  for (const user of ['minji.kim', 'daniel.okafor', 'jaewon.choi']) await expect(members.locator(`[data-iam-user="${user}"]`)).toBeVisible();
  for (const user of ['seoyeon.park', 'lucas.meyer', 'priya.raman']) await expect(members.locator(`[data-iam-user="${user}"]`)).toHaveCount(0);
  await expect(page.getByTestId('preview-add')).toHaveCount(0);

  // The sandbox account shows the baseline policy attached to the group.
  await page.goto('/sandbox');
  await expect(page.locator('tr[data-policy-name="gatehouse-baseline-secrets-metadata"]')).toContainText(
    'arn:aws:iam::111122223333:group/gatehouse/gatehouse-baseline-secrets',
  );
});
