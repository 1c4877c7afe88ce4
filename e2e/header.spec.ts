import { EXPECTED_NAV } from './fixtures/nav';
import { expect, navLabels, sessionCookie, test, type Role } from './fixtures/test';

// Every section of the admin, who has the most: on the row, then in "More", in this order.
const ADMIN_SECTIONS = EXPECTED_NAV.ADMIN;
const ROLES: Role[] = ['ENGINEER', 'SECURITY', 'OPS', 'ADMIN'];

for (const width of [1280, 1440]) {
  for (const role of ROLES) {
    test(`the header is one row at ${width} px for ${role.toLowerCase()}, the rest in "More"`, async ({ page, loginAs }, testInfo) => {
      await page.setViewportSize({ width, height: 900 });
      await loginAs(role);
      await page.goto('/');
      const nav = page.getByRole('navigation', { name: 'Main navigation' });
      await expect(nav).toHaveAttribute('data-measured', 'true');
      // Nothing sticks out sideways (the hidden measuring copy included).
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      const header = await page.getByTestId('app-header').boundingBox();
      // One row: 12 px padding above and below a 36 px control, and the border.
      expect(header!.height).toBeLessThanOrEqual(64);
      // Every link on the row is whole: none clipped at the row's end, all on one line.
      const row = (await nav.boundingBox())!;
      const links = await nav.getByRole('link').all();
      expect(links.length).toBeGreaterThan(2);
      for (const link of [...links, nav.getByTestId('nav-more')]) {
        if (!(await link.isVisible())) continue;
        const box = (await link.boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(row.x + row.width + 0.5);
        expect(Math.abs(box.y + box.height / 2 - (row.y + row.height / 2))).toBeLessThanOrEqual(2);
      }
      await page.getByTestId('app-header').screenshot({ path: testInfo.outputPath(`header-${role.toLowerCase()}-${width}.png`) });
      if (role === 'ADMIN') {
        // The admin's sections do not fit: the rest is one click away, in order, nothing lost.
        await expect(nav.getByTestId('nav-more')).toBeVisible();
        expect(await navLabels(page)).toEqual(ADMIN_SECTIONS);
      }
    });
  }
}

test('in Korean too, the admin’s header is one row at 1280 px', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1280, height: 900 } });
  await context.addCookies([await sessionCookie('usr_hyunwoo_lee')]);
  const page = await context.newPage();
  await page.goto('/');
  const nav = page.getByRole('navigation', { name: '주 메뉴' });
  await expect(nav).toHaveAttribute('data-measured', 'true');
  expect((await page.getByTestId('app-header').boundingBox())!.height).toBeLessThanOrEqual(64);
  await expect(nav.getByTestId('nav-more')).toHaveText(/더 보기/);
  await context.close();
});

test('at 390 px the header stays usable: a menu button opens every section, and a link closes it', async ({ page, loginAs }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await loginAs('SECURITY');
  await page.goto('/');
  const header = (await page.getByTestId('app-header').boundingBox())!;
  // At most two rows (the product and the menu; the account and language), not six.
  expect(header.height).toBeLessThanOrEqual(112);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await expect(page.getByRole('navigation', { name: 'Main navigation' })).toBeHidden();
  const button = page.getByRole('button', { name: 'Menu', exact: true });
  await expect(button).toHaveAttribute('aria-expanded', 'false');
  await button.click();
  await expect(button).toHaveAttribute('aria-expanded', 'true');
  const menu = page.getByTestId('phone-nav');
  await expect(menu.locator('[data-nav-label]')).toHaveText(EXPECTED_NAV.SECURITY);
  await menu.getByRole('link', { name: 'Audit', exact: true }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(page.getByTestId('phone-nav')).toHaveCount(0);
});

test('count badges: security sees the approvals waiting for them (as the queue counts them); an engineer who decides nothing sees none', async ({
  page,
  browser,
  loginAs,
}) => {
  // Something waits for security: Minji asks for a prod secret.
  const engineer = await browser.newContext();
  await engineer.addCookies([await sessionCookie('usr_minji_kim')]);
  const created = await engineer.request.post('/api/v1/requests', {
    data: { type: 'SECRET_READ', secretId: 'sec_prod_payments_stripe_api_key', justification: 'Badge check: payout reconciliation', durationMinutes: 30 },
  });
  expect(created.status()).toBe(201);

  await loginAs('SECURITY');
  const approvals = page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: /^Approvals/ });
  // The badge is cached for 15 s per user: it agrees with the queue within that.
  await expect(async () => {
    await page.goto('/');
    const queue = ((await (await page.request.get('/api/v1/approvals')).json()) as { requests: unknown[] }).requests.length;
    expect(queue).toBeGreaterThan(0);
    await expect(approvals.locator('[data-nav-badge]')).toHaveText(String(queue), { timeout: 1_000 });
  }).toPass({ timeout: 25_000 });
  await expect(approvals).toHaveAccessibleName(/waiting for your approval/);

  const other = await engineer.newPage();
  await other.goto('/');
  await expect(other.getByRole('navigation', { name: 'Main navigation' })).toHaveAttribute('data-measured', 'true');
  await expect(
    other
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: /^Approvals/ })
      .locator('[data-nav-badge]'),
  ).toHaveCount(0);
  await engineer.close();
});
