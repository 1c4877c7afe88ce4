import { EXPECTED_NAV } from './fixtures/nav';
import { expect, navLabels, test, USERS, type Role } from './fixtures/test';

test.describe('health and API', () => {
  test('health answers 200 with the database check', async ({ request }) => {
    const res = await request.get('/api/health');
    expect(res.status()).toBe(200);
    const body = await res.json();
    expect(body.status).toBe('ok');
    expect(body.checks.database.status).toBe('ok');
    expect(typeof body.checks.database.latencyMs).toBe('number');
  });

  test('the API answers 401 JSON without a session', async ({ request }) => {
    const res = await request.get('/api/v1/me');
    expect(res.status()).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'Sign in to continue.' } });
  });

  test('/api/v1/me returns the signed-in user with roles and teams', async ({ page, loginAs }) => {
    const user = await loginAs('ENGINEER');
    const res = await page.request.get('/api/v1/me');
    expect(res.status()).toBe(200);
    const body = await res.json();
    expect(body.user).toMatchObject({ id: user.id, name: user.name, email: user.email, roles: ['ENGINEER'] });
    expect(body.user.teams).toEqual([{ id: 'team_payments', slug: 'payments', name: 'Payments', isLead: false }]);
  });
});

test.describe('sign-in', () => {
  test('a page redirects an anonymous visitor to sign-in and back after signing in', async ({ page }) => {
    await page.goto('/admin');
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fadmin$/);
    await expect(page.getByRole('heading', { name: 'Sign in to Gatehouse' })).toBeVisible();
    await expect(page.getByText('Local mode: pick a seeded user')).toBeVisible();
    await page.getByRole('button', { name: `Sign in as ${USERS.ADMIN.name}` }).click();
    await expect(page).toHaveURL(/\/admin$/);
    await expect(page.getByRole('heading', { name: 'Users & teams' })).toBeVisible();
  });

  test('the sign-in page lists a user of every role, and signing out ends the session', async ({ page }) => {
    await page.goto('/signin');
    for (const role of ['ENGINEER', 'SECURITY', 'OPS', 'ADMIN'] as const) {
      await expect(page.getByRole('button', { name: `Sign in as ${USERS[role].name}` })).toBeVisible();
    }
    await page.getByRole('button', { name: `Sign in as ${USERS.ENGINEER.name}` }).click();
    await expect(page.getByRole('heading', { name: `Welcome, ${USERS.ENGINEER.name}` })).toBeVisible();
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/signin/);
    expect((await page.request.get('/api/v1/me')).status()).toBe(401);
  });

  test('an off-site callbackUrl is ignored', async ({ page, loginAs }) => {
    await loginAs('ENGINEER');
    await page.goto('/signin?callbackUrl=//evil.example.com/x');
    await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/$/);
  });
});

for (const role of Object.keys(EXPECTED_NAV) as Role[]) {
  test(`${role.toLowerCase()} sees their name, roles, the sandbox label and the right navigation`, async ({ page, loginAs }) => {
    const user = await loginAs(role);
    await page.goto('/');
    await expect(page.getByRole('heading', { name: `Welcome, ${user.name}` })).toBeVisible();
    expect(await navLabels(page)).toEqual(EXPECTED_NAV[role]);
    await expect(page.getByTestId('account-label')).toHaveText('Local sandbox account');
    // The roles are in the user menu (the header's row is kept for the sections).
    await page.getByTestId('user-menu').click();
    await expect(page.getByTestId('role-badges')).toContainText(role.charAt(0) + role.slice(1).toLowerCase());
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('health-status')).toContainText('All systems operational');
  });
}

for (const role of ['ENGINEER', 'SECURITY', 'OPS'] as const) {
  test(`${role.toLowerCase()} gets 403 on the admin page`, async ({ page, loginAs }) => {
    await loginAs(role);
    const res = await page.goto('/admin');
    expect(res?.status()).toBe(403);
    await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
  });
}

test('an unknown page answers 404', async ({ page, loginAs }) => {
  await loginAs('ENGINEER');
  const res = await page.goto('/no-such-page');
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});

test('pages and API answers carry the baseline security headers', async ({ request }) => {
  for (const path of ['/signin', '/api/health']) {
    const res = await request.get(path);
    const h = res.headers();
    expect(h['x-frame-options'], path).toBe('DENY');
    expect(h['content-security-policy'], path).toContain("frame-ancestors 'none'");
    expect(h['x-content-type-options'], path).toBe('nosniff');
    expect(h['referrer-policy'], path).toBe('strict-origin-when-cross-origin');
    expect(h['x-powered-by'], path).toBeUndefined();
  }
});
