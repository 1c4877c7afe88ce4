import { expect, test, USERS } from './fixtures/test';

test.describe('user administration', () => {
  test('an admin changes a user’s roles, and the user’s navigation follows at once', async ({ page, loginAs, browser }) => {
    // Adding OPS applies at once; adding SECURITY or ADMIN waits for a second approver (e2e/control-plane.spec.ts).
    const daniel = { id: 'usr_daniel_okafor', name: 'Daniel Okafor' };
    await loginAs('ADMIN');
    await page.goto('/admin');
    const form = page.getByRole('form', { name: `Roles of ${daniel.name}` });
    await form.getByRole('checkbox', { name: 'Ops' }).check();
    await form.getByRole('button', { name: 'Save roles' }).click();
    await expect(form.getByText('Roles saved.')).toBeVisible();

    // The other user's next request sees the new role (roles are read per request, not from the cookie).
    const other = await browser.newContext();
    const { sessionCookie } = await import('./fixtures/test');
    await other.addCookies([await sessionCookie(daniel.id)]);
    const res = await other.request.get('/api/v1/me');
    expect((await res.json()).user.roles).toEqual(['ENGINEER', 'OPS']);
    await other.close();

    // The change is in the audit history, by the admin, with the roles before and after.
    const audit = await page.request.get(`/api/v1/audit?action=user.roles_changed&q=${encodeURIComponent(daniel.id)}`);
    expect(audit.status()).toBe(200);
    expect((await audit.json()).events[0]).toMatchObject({
      action: 'user.roles_changed',
      targetId: daniel.id,
      before: { roles: ['ENGINEER'] },
      after: { roles: ['ENGINEER', 'OPS'] },
    });

    await form.getByRole('checkbox', { name: 'Ops' }).uncheck();
    await form.getByRole('button', { name: 'Save roles' }).click();
    await expect(form.getByText('Roles saved.')).toBeVisible();
  });

  test('removing every role is refused with a message', async ({ page, loginAs }) => {
    await loginAs('ADMIN');
    await page.goto('/admin');
    const form = page.getByRole('form', { name: `Roles of ${USERS.SECURITY.name}` });
    await form.getByRole('checkbox', { name: 'Security' }).uncheck();
    await form.getByRole('button', { name: 'Save roles' }).click();
    await expect(form.getByRole('alert')).toHaveText(/Pick at least one role/);
    await page.reload();
    await expect(page.getByRole('form', { name: `Roles of ${USERS.SECURITY.name}` }).getByRole('checkbox', { name: 'Security' })).toBeChecked();
  });

  test('an admin cannot remove their own admin role', async ({ page, loginAs }) => {
    const admin = await loginAs('ADMIN');
    await page.goto('/admin');
    const form = page.getByRole('form', { name: `Roles of ${admin.name}` });
    await form.getByRole('checkbox', { name: 'Engineer' }).check();
    await form.getByRole('checkbox', { name: 'Admin' }).uncheck();
    await form.getByRole('button', { name: 'Save roles' }).click();
    await expect(form.getByRole('alert')).toHaveText('You cannot remove your own admin role; ask another admin to do it.');
  });
});

test('an admin maps a user to the IAM identity their grants attach to, one per account', async ({ page, loginAs }) => {
  const admin = await loginAs('ADMIN');
  await page.goto('/admin');
  // The sandbox's three accounts (docs/decisions/039, 040): one form per account.
  const form = page.getByRole('form', { name: `AWS identity of ${admin.name} in sandbox-dev` });
  const input = form.getByRole('textbox');
  await expect(input).toHaveValue('arn:aws:iam::111122223333:user/hyunwoo.lee');
  await input.fill('arn:aws:iam::111122223333:group/admins');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('alert')).toContainText('Give an IAM user or role ARN');
  // Prod's identity in dev's row is refused: a grant in dev attaches only to an identity in dev's account.
  await input.fill('arn:aws:iam::777788889999:role/gatehouse/platform-admins');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('alert')).toHaveText('That ARN is in account 777788889999; this row is for account 111122223333.');
  await input.fill('arn:aws:iam::111122223333:role/gatehouse/platform-admins');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByText('Saved.')).toBeVisible();
  const prod = page.getByRole('form', { name: `AWS identity of ${admin.name} in sandbox-prod` });
  await expect(prod.getByTestId('aws-account')).toHaveText('sandbox-prod · 777788889999');
  await prod.getByRole('textbox').fill('arn:aws:iam::777788889999:role/people/hyunwoo-prod');
  await prod.getByRole('button', { name: 'Save' }).click();
  await expect(prod.getByText('Saved.')).toBeVisible();
  await page.reload();
  await expect(page.getByRole('form', { name: `AWS identity of ${admin.name} in sandbox-dev` }).getByRole('textbox')).toHaveValue(
    'arn:aws:iam::111122223333:role/gatehouse/platform-admins',
  );
  await expect(page.getByRole('form', { name: `AWS identity of ${admin.name} in sandbox-prod` }).getByRole('textbox')).toHaveValue(
    'arn:aws:iam::777788889999:role/people/hyunwoo-prod',
  );
  await expect(page.getByRole('form', { name: `AWS identity of ${admin.name} in sandbox-staging` }).getByRole('textbox')).toHaveValue(
    'arn:aws:iam::444455556666:user/hyunwoo.lee',
  );
});
