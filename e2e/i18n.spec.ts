import { expect, test } from './fixtures/test';

test('the browser’s language picks Korean, and the switch changes it back', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'ko-KR' });
  const page = await context.newPage();
  const { sessionCookie, USERS } = await import('./fixtures/test');
  await context.addCookies([await sessionCookie(USERS.ENGINEER.id)]);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: `${USERS.ENGINEER.name}님, 환영합니다` })).toBeVisible();
  await expect(page.getByTestId('account-label')).toHaveText('로컬 샌드박스 계정');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
  await page.getByRole('combobox', { name: '언어' }).selectOption('en');
  await expect(page.getByRole('heading', { name: `Welcome, ${USERS.ENGINEER.name}` })).toBeVisible();
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await context.close();
});

test('the strings come once, from the versioned catalog the browser keeps, not in every page', async ({ page, loginAs }) => {
  await loginAs('ENGINEER');
  const catalogs: { url: string; cacheControl: string | undefined; status: number }[] = [];
  page.on('response', (res) => {
    if (new URL(res.url()).pathname.startsWith('/api/i18n/'))
      catalogs.push({ url: res.url(), cacheControl: res.headers()['cache-control'], status: res.status() });
  });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  const response = await page.goto('/requests');
  const html = await response!.text();
  // A string no part of this page shows: it is in the catalog only.
  expect(html).not.toContain('"app.tagline"');
  await expect(page.getByRole('heading', { name: 'My requests' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  // Once: the browser's fetch took the layout's preload instead of asking a second time.
  expect(catalogs).toHaveLength(1);
  for (const c of catalogs) {
    expect(c.url).toMatch(/\/api\/i18n\/en\?v=[\w-]{16}$/);
    expect(c.status).toBe(200);
    expect(c.cacheControl).toBe('public, max-age=31536000, immutable');
  }
  // Hydrated with the same strings the server rendered: no hydration mismatch, no error.
  await expect(page.getByRole('combobox', { name: 'Language' })).toBeVisible();
  expect(problems).toEqual([]);
});
