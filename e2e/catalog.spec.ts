import { expect, sessionCookie, test, USERS, type Role } from './fixtures/test';
import type { Page } from '@playwright/test';

// Tests share one server and database with the other specs: they add their own uniquely named
// entries and put back the one rule they change.
const uniqueName = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const secretArn = (name: string) => `arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:${name}-AbCdEf`;

async function openCatalog(page: Page, loginAs: (role: Role) => Promise<unknown>, role: Role) {
  await loginAs(role);
  await page.goto('/catalog');
  await expect(page.getByRole('heading', { name: 'Catalog & rules', level: 1 })).toBeVisible();
}

test.describe('catalog editing', () => {
  test('security adds a secret through the form, sees it in the table, and the edit is audited', async ({ page, loginAs }) => {
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

    await expect(form.getByRole('status')).toHaveText('Saved.');
    const row = page.getByTestId('catalog-secrets').getByRole('row').filter({ hasText: fullName });
    await expect(row).toHaveCount(1);
    await expect(row.getByRole('cell').nth(1)).toHaveText('Data');
    await expect(row.getByRole('cell').nth(2)).toHaveText('Token of the nightly ETL job');
    await expect(row.getByRole('cell').nth(3)).toHaveText(secretArn(fullName));
    // The add form is emptied for the next secret.
    await expect(form.getByLabel('Name', { exact: true })).toHaveValue('');

    // Still there after a reload (it was stored, not only rendered).
    await page.reload();
    await expect(page.getByTestId('catalog-secrets').getByRole('row').filter({ hasText: fullName })).toHaveCount(1);

    const res = await page.request.get(`/api/v1/audit?action=catalog.secret.created&q=${encodeURIComponent(fullName)}`);
    expect(res.status()).toBe(200);
    const { events } = await res.json();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: USERS.SECURITY.id, targetType: 'secret', targetId: fullName, environment: 'DEV', teamId: 'team_data', before: null, after: { name: fullName, active: true } });
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

  test('security adds a role, and a bad policy is explained on the policy field', async ({ page, loginAs }) => {
    await openCatalog(page, loginAs, 'SECURITY');
    const fn = uniqueName('e2e-role');
    const label = `data/dev/${fn}`;
    const add = page.getByRole('form', { name: 'Add role' });
    await add.getByLabel('Owning team').selectOption({ label: 'Data' });
    await add.getByLabel('Environment').selectOption('DEV');
    await add.getByLabel('Function').fill(fn);
    await add.getByLabel('Description').fill('Read the ETL logs');
    await add.getByLabel('Policy (JSON)').fill(JSON.stringify([{ actions: ['logs:GetLogEvents'], resources: ['arn:aws:logs:*:*:log-group:/data/etl/*'] }]));
    await add.getByRole('button', { name: 'Add role' }).click();
    await expect(add.getByRole('status')).toHaveText('Saved.');
    const row = page.getByTestId('catalog-roles').getByRole('row').filter({ hasText: label });
    await expect(row.getByRole('cell').nth(2)).toHaveText('logs:GetLogEvents');

    // Edit it through the row's disclosure.
    await row.locator('summary').click();
    const edit = page.getByRole('form', { name: `Edit role ${label}` });
    const policy = edit.getByLabel('Policy (JSON)');
    await policy.fill('[{ "actions": ["logs:GetLogEvents"] ');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(policy).toHaveAccessibleDescription(/not valid JSON$/);

    await policy.fill(JSON.stringify([{ actions: ['*'], resources: ['arn:aws:logs:*:*:log-group:/data/etl/*'] }]));
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(policy).toHaveAccessibleDescription(/policy\.0\.actions\.0: A bare "\*" action is not allowed/);

    await policy.fill(JSON.stringify([{ actions: ['logs:GetLogEvents', 'logs:FilterLogEvents'], resources: ['arn:aws:logs:*:*:log-group:/data/etl/*'] }]));
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(edit.getByRole('status')).toHaveText('Saved.');
    await expect(row.getByRole('cell').nth(2)).toHaveText('logs:GetLogEvents, logs:FilterLogEvents');
  });

  test('security edits an approval rule: the table follows, and bad numbers are refused', async ({ page, loginAs }) => {
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
    await expect(form.getByRole('status')).toHaveText('Saved.');
    await expect(ttlCell).toHaveText('25 h');

    // Put it back for the other specs.
    await ttl.fill('1440');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(ttlCell).toHaveText('1 d');
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
    await expect(form.getByRole('status')).toHaveText('Saved.');

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
    await enginePage.reload();
    await expect(enginePage.getByTestId('catalog-secrets')).toContainText(`dev/data/${name}`);
    await expect(enginePage.getByTestId('catalog-secrets')).not.toContainText(other);
    await engineer.close();
  });
});
