import { expect, sessionCookie, test, USERS } from './fixtures/test';
import type { Browser } from '@playwright/test';

// The two-person rule for the control plane (docs/decisions/032). Shares the server with the other
// specs: what a test changes it puts back, and it only proposes changes nobody else relies on.

const uniqueName = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function pageAs(browser: Browser, userId: string) {
  const context = await browser.newContext();
  await context.addCookies([await sessionCookie(userId)]);
  return { context, page: await context.newPage() };
}

test('a role assignment adding ADMIN waits for a second approver, who approves it from the catalog page', async ({ page, loginAs, browser }) => {
  await loginAs('ADMIN');
  await page.goto('/admin');
  const form = page.getByRole('form', { name: `Roles of ${USERS.OPS.name}` });
  await form.getByRole('checkbox', { name: 'Admin' }).check();
  await form.getByRole('button', { name: 'Save roles' }).click();
  await expect(form.getByText('Proposed, awaiting a second approver.')).toBeVisible();

  const target = `${USERS.OPS.name} <${USERS.OPS.email}>`;
  await page.reload();
  const mine = page.getByTestId('pending-changes').locator(`tr[data-target="${target}"]`);
  await expect(mine).toContainText('Role assignment');
  await expect(mine).toContainText('roles: ENGINEER, OPS → ADMIN, ENGINEER, OPS');
  await expect(mine.getByTestId('own-change-note')).toHaveText('You proposed this change: another member of the security team or an admin must approve it.');
  await expect(mine.getByRole('button', { name: 'Approve and apply' })).toHaveCount(0);

  // Not in effect yet.
  const ops = await pageAs(browser, USERS.OPS.id);
  expect((await (await ops.context.request.get('/api/v1/me')).json()).user.roles).toEqual(['ENGINEER', 'OPS']);

  // Security (not the author) approves it on the catalog page.
  const security = await pageAs(browser, USERS.SECURITY.id);
  await security.page.goto('/catalog');
  const row = security.page.getByTestId('pending-changes').locator(`tr[data-target="${target}"]`);
  await expect(row).toContainText('Hyun-woo Lee');
  await row.getByRole('button', { name: 'Approve and apply' }).click();
  await expect(security.page.getByTestId('pending-changes').locator(`tr[data-target="${target}"]`)).toHaveCount(0);
  // Roles are re-read within the actor cache's few seconds (docs/decisions/003).
  const rolesOfOps = async () => (await (await ops.context.request.get('/api/v1/me')).json()).user.roles as string[];
  await expect.poll(rolesOfOps, { timeout: 8_000 }).toEqual(['ADMIN', 'ENGINEER', 'OPS']);

  const audit = await (await security.context.request.get('/api/v1/audit?action=control_plane.change.approved')).json();
  expect(audit.events[0]).toMatchObject({ actorId: USERS.SECURITY.id, targetType: 'control_plane_change', targetId: target, before: ['ENGINEER', 'OPS'] });

  // Removing ADMIN applies at once.
  await page.reload();
  await page
    .getByRole('form', { name: `Roles of ${USERS.OPS.name}` })
    .getByRole('checkbox', { name: 'Admin' })
    .uncheck();
  await page
    .getByRole('form', { name: `Roles of ${USERS.OPS.name}` })
    .getByRole('button', { name: 'Save roles' })
    .click();
  await expect(page.getByRole('form', { name: `Roles of ${USERS.OPS.name}` }).getByText('Roles saved.')).toBeVisible();
  await expect.poll(rolesOfOps, { timeout: 8_000 }).toEqual(['ENGINEER', 'OPS']);
  await ops.context.close();
  await security.context.close();
});

test('one security user cannot lower prod below the floors; their own proposal can only be withdrawn', async ({ page, loginAs }) => {
  await loginAs('SECURITY');
  await page.goto('/catalog');
  await page.locator('tr[data-rule="SECRET_READ/PROD"]').locator('summary').click();
  const prod = page.getByRole('form', { name: 'Edit rule: Secret read in prod' });
  await prod.getByLabel('Approvals').fill('1');
  await prod.getByRole('button', { name: 'Save' }).click();
  await expect(prod.getByRole('status')).toHaveText('SECRET_READ/PROD: at least 2 approval(s) are required in prod (configured floor); 1 is below it.');
  await prod.getByLabel('Approvals').fill('2');
  await prod.getByLabel('Max duration (minutes)').fill('129600');
  await prod.getByRole('button', { name: 'Save' }).click();
  await expect(prod.getByRole('status')).toHaveText('SECRET_READ/PROD: access in prod lasts at most 8 h (configured floor); 2160 h is above it.');
  await expect(page.getByTestId('pending-changes').locator('tr[data-target="SECRET_READ/PROD"]')).toHaveCount(0);

  // A change within the floors is proposed; its author can withdraw it, not approve it.
  const row = page.locator('tr[data-rule="ROLE/STAGING"]');
  const ttlBefore = await row.getByRole('cell').nth(5).innerText();
  await row.locator('summary').click();
  const staging = page.getByRole('form', { name: 'Edit rule: Team role in staging' });
  await staging.getByLabel('Unanswered for (minutes)').fill('1500');
  await staging.getByRole('button', { name: 'Save' }).click();
  await expect(staging.getByRole('status')).toHaveText('Proposed, awaiting a second approver.');
  const pending = page.getByTestId('pending-changes').locator('tr[data-target="ROLE/STAGING"]');
  await expect(pending).toContainText('pendingTtlMinutes: 1440 → 1500');
  await expect(pending.getByRole('button', { name: 'Approve and apply' })).toHaveCount(0);
  await pending.getByRole('button', { name: 'Withdraw' }).click();
  await expect(page.getByTestId('pending-changes').locator('tr[data-target="ROLE/STAGING"]')).toHaveCount(0);
  await page.reload();
  await expect(page.locator('tr[data-rule="ROLE/STAGING"]').getByRole('cell').nth(5)).toHaveText(ttlBefore);
});

test('a DEV catalog entry carrying the prod secret’s ARN is refused with the expected shape, and nothing is proposed', async ({ page, loginAs }) => {
  await loginAs('SECURITY');
  await page.goto('/catalog');
  const prodArn = await page
    .getByTestId('catalog-secrets')
    .getByRole('row')
    .filter({ hasText: 'prod/payments/stripe-api-key' })
    .getByRole('cell')
    .nth(3)
    // The ARN is shortened in the middle on screen; the whole value is on the element.
    .locator('[data-value]')
    .getAttribute('data-value');
  // The prod secret lives in the sandbox's prod account (docs/decisions/040); a DEV entry must name dev's.
  expect(prodArn).toMatch(/^arn:aws:secretsmanager:us-east-1:777788889999:secret:prod\/payments\/stripe-api-key-[A-Za-z0-9]{6}$/);
  const form = page.getByRole('form', { name: 'Add secret' });
  const name = uniqueName('stripe-copy');
  await form.getByLabel('Environment').selectOption('DEV');
  await form.getByLabel('Owning team').selectOption({ label: 'Payments' });
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('Secrets Manager ARN (optional)').fill(prodArn ?? '');
  await form.getByRole('button', { name: 'Add secret' }).click();
  await expect(form.getByRole('status')).toContainText(`it must be arn:aws:secretsmanager:us-east-1:111122223333:secret:dev/payments/${name}-XXXXXX`);
  await page.reload();
  await expect(page.getByTestId('pending-changes').locator(`tr[data-target="dev/payments/${name}"]`)).toHaveCount(0);
  await expect(page.getByTestId('catalog-secrets')).not.toContainText(name);
});
