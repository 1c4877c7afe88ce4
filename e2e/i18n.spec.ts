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
