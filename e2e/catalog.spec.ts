import { expect, sessionCookie, test, USERS, type Role } from './fixtures/test';
import type { Browser, Page } from '@playwright/test';

// Tests share one server and database with the other specs: they add their own uniquely named
// entries and put back the one rule they change.
const uniqueName = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
// The sandbox account and the e2e server's region: an entry's ARN must be its own secret there (decision 032).
const secretArn = (name: string) => `arn:aws:secretsmanager:us-east-1:111122223333:secret:${name}-AbCdEf`;
/** The second security user, who approves what Seo-yeon (SECURITY in the fixtures) proposes. */
const LUCAS = 'usr_lucas_meyer';

/** Another security user approves the open proposal for `target` on the catalog page (the two-person rule). */
async function approveAsSecond(browser: Browser, target: string) {
  const context = await browser.newContext();
  await context.addCookies([await sessionCookie(LUCAS)]);
  const page = await context.newPage();
  await page.goto('/catalog');
  const row = page.getByTestId('pending-changes').locator(`tr[data-target="${target}"]`);
  await row.getByRole('button', { name: 'Approve and apply' }).click();
  await expect(page.getByTestId('pending-changes').locator(`tr[data-target="${target}"]`)).toHaveCount(0);
  await context.close();
}

async function openCatalog(page: Page, loginAs: (role: Role) => Promise<unknown>, role: Role) {
  await loginAs(role);
  await page.goto('/catalog');
  await expect(page.getByRole('heading', { name: 'Catalog & rules', level: 1 })).toBeVisible();
}

test.describe('catalog editing', () => {
  test('security proposes a secret through the form; it is in the table once another security user approves it, and audited', async ({
    page,
    loginAs,
    browser,
  }) => {
    await openCatalog(page, loginAs, 'SECURITY');
    const form = page.getByRole('form', { name: 'Add secret' });
    const name = uniqueName('e2e-etl');
    const fullName = `dev/data/${name}`;
    await form.getByLabel('Environment').selectOption('DEV');
    await form.getByLabel('Owning team').selectOption({ label: 'Data' });
    await form.getByLabel('Name', { exact: true }).fill(name);
    await expect(form.getByText(`Stored as ${fullName}.`)).toBeVisible();
    await form.getByLabel('Description').fill('Token of the nightly ETL job');
    await form.getByLabel('Secrets Manager ARN (optional)').fill(secretArn(fullName));
    await form.getByRole('button', { name: 'Add secret' }).click();

    await expect(form.getByRole('status')).toHaveText('Proposed, awaiting a second approver.');
    const pending = page.getByTestId('pending-changes').locator(`tr[data-target="${fullName}"]`);
    await expect(pending).toContainText('Catalog secret');
    await expect(pending.getByTestId('own-change-note')).toBeVisible();
    await expect(pending.getByRole('button', { name: 'Approve and apply' })).toHaveCount(0);
    await expect(page.getByTestId('catalog-secrets')).not.toContainText(fullName);

    await approveAsSecond(browser, fullName);
    await page.reload();
    const row = page.getByTestId('catalog-secrets').getByRole('row').filter({ hasText: fullName });
    await expect(row).toHaveCount(1);
    await expect(row.getByRole('cell').nth(1)).toHaveText('Data');
    await expect(row.getByRole('cell').nth(2)).toHaveText('Token of the nightly ETL job');
    // The ARN is shortened in the middle on screen; the whole value is on the element (and on hover).
    await expect(row.getByRole('cell').nth(3).locator('[data-value]')).toHaveAttribute('data-value', secretArn(fullName));

    const res = await page.request.get(`/api/v1/audit?action=catalog.secret.created&q=${encodeURIComponent(fullName)}`);
    expect(res.status()).toBe(200);
    const { events } = await res.json();
    expect(events).toHaveLength(1);
    // Applied by the approver; the proposal and its approval are in the history too.
    expect(events[0]).toMatchObject({
      actorId: LUCAS,
      targetType: 'secret',
      targetId: fullName,
      environment: 'DEV',
      teamId: 'team_data',
      before: null,
      after: { name: fullName, active: true },
    });
  });

  test('an invalid ARN and a taken name are shown next to their fields, and nothing is added', async ({ page, loginAs }) => {
    await openCatalog(page, loginAs, 'SECURITY');
    const form = page.getByRole('form', { name: 'Add secret' });
    const name = uniqueName('e2e-bad-arn');
    const nameInput = form.getByLabel('Name', { exact: true });
    const arnInput = form.getByLabel('Secrets Manager ARN (optional)');
    await nameInput.fill(name);
    await arnInput.fill('arn:aws:s3:::payments-exports');
    await form.getByRole('button', { name: 'Add secret' }).click();

    await expect(arnInput).toHaveAttribute('aria-invalid', 'true');
    await expect(arnInput).toHaveAccessibleDescription('Not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>).');
    await expect(nameInput).not.toHaveAttribute('aria-invalid', 'true');
    // What was typed is kept for correction.
    await expect(nameInput).toHaveValue(name);
    await expect(page.getByTestId('catalog-secrets')).not.toContainText(name);

    // A name already in the catalog.
    await form.getByLabel('Environment').selectOption('PROD');
    await form.getByLabel('Owning team').selectOption({ label: 'Payments' });
    await nameInput.fill('stripe-api-key');
    await arnInput.fill('');
    await form.getByRole('button', { name: 'Add secret' }).click();
    await expect(nameInput).toHaveAccessibleDescription(/A secret named prod\/payments\/stripe-api-key is already in the catalog\./);
    await expect(arnInput).not.toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId('catalog-secrets').getByRole('row').filter({ hasText: 'prod/payments/stripe-api-key' })).toHaveCount(1);
  });

  test('security adds a role, and a bad policy is explained on the policy field', async ({ page, loginAs, browser }) => {
    await openCatalog(page, loginAs, 'SECURITY');
    const fn = uniqueName('e2e-role');
    const label = `data/dev/${fn}`;
    const add = page.getByRole('form', { name: 'Add role' });
    await add.getByLabel('Owning team').selectOption({ label: 'Data' });
    await add.getByLabel('Environment').selectOption('DEV');
    await add.getByLabel('Function').fill(fn);
    await add.getByLabel('Description').fill('Read the ETL logs');
    await add
      .getByLabel('Policy (JSON)')
      .fill(JSON.stringify([{ actions: ['logs:GetLogEvents'], resources: ['arn:aws:logs:*:111122223333:log-group:/dev/data/etl/*'] }]));
    await add.getByRole('button', { name: 'Add role' }).click();
    await expect(add.getByRole('status')).toHaveText('Proposed, awaiting a second approver.');
    await approveAsSecond(browser, label);
    await page.reload();
    const row = page.getByTestId('catalog-roles').getByRole('row').filter({ hasText: label });
    await expect(row.getByRole('cell').nth(2)).toHaveText('logs:GetLogEvents');

    // Edit it through the row's disclosure.
    await row.locator('summary').click();
    const edit = page.getByRole('form', { name: `Edit role ${label}` });
    const policy = edit.getByLabel('Policy (JSON)');
    await policy.fill('[{ "actions": ["logs:GetLogEvents"] ');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(policy).toHaveAccessibleDescription(/not valid JSON$/);

    await policy.fill(JSON.stringify([{ actions: ['*'], resources: ['arn:aws:logs:*:111122223333:log-group:/dev/data/etl/*'] }]));
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(policy).toHaveAccessibleDescription(/policy\.0\.actions\.0: A bare "\*" action is not allowed/);

    // A resource outside the role's team and environment: refused with the expected shape.
    await policy.fill(JSON.stringify([{ actions: ['logs:GetLogEvents'], resources: ['arn:aws:logs:*:111122223333:log-group:/prod/data/etl/*'] }]));
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(edit.getByRole('status')).toContainText('is outside data in dev');

    await policy.fill(
      JSON.stringify([{ actions: ['logs:GetLogEvents', 'logs:FilterLogEvents'], resources: ['arn:aws:logs:*:111122223333:log-group:/dev/data/etl/*'] }]),
    );
    await edit.getByRole('button', { name: 'Save' }).click();
    // The change waits for a second approver (read from the open changes, not the form: when other
    // sessions act at the same time the refreshed page may close the row's disclosure).
    await expect(page.getByTestId('pending-changes').locator(`tr[data-target="${label}"]`)).toContainText('logs:FilterLogEvents');
    await expect(row.getByRole('cell').nth(2)).toHaveText('logs:GetLogEvents');
    await approveAsSecond(browser, label);
    await page.reload();
    await expect(page.getByTestId('catalog-roles').getByRole('row').filter({ hasText: label }).getByRole('cell').nth(2)).toHaveText(
      'logs:GetLogEvents, logs:FilterLogEvents',
    );
  });

  test('security proposes an approval rule: the table follows once another security user approves, and bad numbers are refused', async ({
    page,
    loginAs,
    browser,
  }) => {
    await openCatalog(page, loginAs, 'SECURITY');
    await expect(page.getByText('A rule change applies to new requests only: each request keeps the rule it was made under.').first()).toBeVisible();
    const row = page.locator('tr[data-rule="SECRET_REGISTER/DEV"]');
    const ttlCell = row.getByRole('cell').nth(5);
    await expect(ttlCell).toHaveText('1 d');
    await row.locator('summary').click();
    const form = page.getByRole('form', { name: 'Edit rule: New secret in dev' });
    const approvals = form.getByLabel('Approvals');
    const ttl = form.getByLabel('Unanswered for (minutes)');

    await approvals.fill('9');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(approvals).toHaveAccessibleDescription('At most 5 approvals.');

    await approvals.fill('1');
    await ttl.fill('1500');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByRole('status')).toHaveText('Proposed, awaiting a second approver.');
    await expect(ttlCell).toHaveText('1 d');
    await approveAsSecond(browser, 'SECRET_REGISTER/DEV');
    await page.reload();
    await expect(page.locator('tr[data-rule="SECRET_REGISTER/DEV"]').getByRole('cell').nth(5)).toHaveText('1 d 1 h');

    // Put it back for the other specs (also through a second approver).
    await page.locator('tr[data-rule="SECRET_REGISTER/DEV"]').locator('summary').click();
    await page.getByRole('form', { name: 'Edit rule: New secret in dev' }).getByLabel('Unanswered for (minutes)').fill('1440');
    await page.getByRole('form', { name: 'Edit rule: New secret in dev' }).getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('form', { name: 'Edit rule: New secret in dev' }).getByRole('status')).toHaveText('Proposed, awaiting a second approver.');
    await approveAsSecond(browser, 'SECRET_REGISTER/DEV');
    await page.reload();
    await expect(page.locator('tr[data-rule="SECRET_REGISTER/DEV"]').getByRole('cell').nth(5)).toHaveText('1 d');
  });

  test('an engineer sees the catalog without edit forms, and a replayed catalog action is refused', async ({ page, loginAs, browser }) => {
    // Capture what the add form posts to its server action, as security.
    await openCatalog(page, loginAs, 'SECURITY');
    const form = page.getByRole('form', { name: 'Add secret' });
    const name = uniqueName('e2e-sec');
    // Defaults: dev, the first team (Data).
    await form.getByLabel('Name', { exact: true }).fill(name);
    const posted = page.waitForRequest((r) => r.method() === 'POST' && r.headers()['next-action'] !== undefined);
    await form.getByRole('button', { name: 'Add secret' }).click();
    const request = await posted;
    await expect(form.getByRole('status')).toHaveText('Proposed, awaiting a second approver.');

    const engineer = await browser.newContext();
    await engineer.addCookies([await sessionCookie(USERS.ENGINEER.id)]);
    const enginePage = await engineer.newPage();
    await enginePage.goto('/catalog');
    await expect(enginePage.getByTestId('catalog-secrets')).toBeVisible();
    await expect(enginePage.getByTestId('rules-table')).toBeVisible();
    await expect(enginePage.getByRole('form', { name: 'Add secret' })).toHaveCount(0);
    await expect(enginePage.getByRole('form', { name: 'Add role' })).toHaveCount(0);
    await expect(enginePage.getByRole('form', { name: /^Edit / })).toHaveCount(0);
    await expect(enginePage.locator('details')).toHaveCount(0);
    // Engineers neither see nor decide proposals.
    await expect(enginePage.getByTestId('pending-changes')).toHaveCount(0);
    await expect(enginePage.getByText('A rule change applies to new requests only', { exact: false })).toBeVisible();

    // The same action, posted with the engineer's session and another name: refused before anything is written.
    const other = uniqueName('e2e-eng');
    const headers = request.headers();
    const body = request.postDataBuffer()!.toString('utf8').replace(name, other);
    const res = await engineer.request.post('/catalog', {
      headers: {
        accept: headers.accept ?? 'text/x-component',
        'content-type': headers['content-type']!,
        'next-action': headers['next-action']!,
        'next-router-state-tree': headers['next-router-state-tree'] ?? '',
        origin: new URL(page.url()).origin,
      },
      data: Buffer.from(body, 'utf8'),
    });
    const text = await res.text();
    expect(text).toContain('"code":"FORBIDDEN"');
    expect(text).not.toContain('"ok":true');
    await page.reload();
    await expect(page.getByTestId('pending-changes')).toContainText(`dev/data/${name}`);
    await expect(page.getByTestId('pending-changes')).not.toContainText(other);
    await engineer.close();
  });
});
