import { expect, test, USERS } from './fixtures/test';

test.describe('user administration', () => {
  test('an admin changes a user’s roles, and the user’s navigation follows at once', async ({ page, loginAs, browser }) => {
    await loginAs('ADMIN');
    await page.goto('/admin');
    const form = page.getByRole('form', { name: `Roles of ${USERS.OPS.name}` });
    await form.getByRole('checkbox', { name: 'Admin' }).check();
    await form.getByRole('button', { name: 'Save roles' }).click();
    await expect(form.getByText('Roles saved.')).toBeVisible();

    // The other user's next request sees the new role (roles are read per request, not from the cookie).
    const other = await browser.newContext();
    const { sessionCookie } = await import('./fixtures/test');
    await other.addCookies([await sessionCookie(USERS.OPS.id)]);
    const res = await other.request.get('/api/v1/me');
    expect((await res.json()).user.roles).toEqual(['ADMIN', 'ENGINEER', 'OPS']);
    await other.close();

    await form.getByRole('checkbox', { name: 'Admin' }).uncheck();
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
