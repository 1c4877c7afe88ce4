import type { Page } from '@playwright/test';
import { E2E_BASE_URL } from './fixtures/constants';
import { expect, sessionCookie, test, USERS } from './fixtures/test';

// Issue 17, findings 4, 7, 8 and 9 (compare view): the shared table (sort, search, facets, the
// view in the URL, phone width), the approvals queue, alarms against health, and honest costs.

/** The secrets table's names in display order (the whole name, not its shortened form). */
async function secretNames(page: Page): Promise<string[]> {
  return page
    .getByTestId('catalog-secrets')
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => r.querySelector('td [data-value]')?.getAttribute('data-value') ?? ''));
}

test.describe('the catalog table', () => {
  test('sorts by a column, both ways, and says so to screen readers', async ({ page, loginAs }) => {
    await loginAs('ENGINEER');
    await page.goto('/catalog');
    const table = page.getByTestId('catalog-secrets');
    const given = await secretNames(page);
    expect(given.length).toBeGreaterThan(3);
    const natural = [...given].sort((a, b) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' }));

    await table.getByRole('button', { name: /^Name/ }).click();
    await expect(table.getByRole('columnheader', { name: /Name/ })).toHaveAttribute('aria-sort', 'ascending');
    expect(await secretNames(page)).toEqual(natural);
    await table.getByRole('button', { name: /^Name/ }).click();
    await expect(table.getByRole('columnheader', { name: /Name/ })).toHaveAttribute('aria-sort', 'descending');
    expect(await secretNames(page)).toEqual([...natural].reverse());
    await expect(page).toHaveURL(/[?&]secrets\.sort=-name(&|$)/);
  });

  test('searches and filters by facet; the URL reproduces the view', async ({ page, loginAs }) => {
    await loginAs('ENGINEER');
    await page.goto('/catalog');
    const table = page.getByTestId('catalog-secrets');
    const all = (await secretNames(page)).length;

    await page.getByRole('searchbox', { name: 'Filter: Secrets' }).fill('stripe');
    await expect.poll(async () => (await secretNames(page)).length).toBeLessThan(all);
    const found = await secretNames(page);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((n) => n.includes('stripe'))).toBe(true);

    await page.getByRole('combobox', { name: 'Environment' }).first().selectOption('PROD');
    await expect.poll(async () => secretNames(page)).toEqual(found.filter((n) => n.startsWith('prod/')));
    await expect(page).toHaveURL(/secrets\.q=stripe/);
    await expect(page).toHaveURL(/secrets\.env=PROD/);

    // A link to this view shows the same rows to someone else.
    const url = page.url();
    const other = await page.context().browser()!.newContext();
    await other.addCookies([await sessionCookie(USERS.SECURITY.id)]);
    const second = await other.newPage();
    await second.goto(url);
    await expect(second.getByRole('searchbox', { name: 'Filter: Secrets' })).toHaveValue('stripe');
    await expect.poll(async () => secretNames(second)).toEqual(found.filter((n) => n.startsWith('prod/')));
    await other.close();

    // Clearing brings every row back and empties the URL.
    await table.page().getByRole('button', { name: 'Clear' }).first().click();
    await expect.poll(async () => (await secretNames(page)).length).toBe(all);
    await expect(page).not.toHaveURL(/secrets\.q=/);
  });

  test('long identifiers are shortened in the middle, whole on hover, and copied whole', async ({ page, loginAs, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: E2E_BASE_URL });
    await loginAs('ENGINEER');
    await page.goto('/catalog');
    const arn = page.getByTestId('catalog-secrets').locator('tbody tr').filter({ hasText: 'prod/payments/stripe-api-key' }).locator('td').nth(3);
    const full = (await arn.locator('[data-value]').getAttribute('data-value'))!;
    expect(full).toMatch(/^arn:aws:secretsmanager:/);
    await expect(arn.locator(`[title="${full}"]`)).toBeVisible();
    const shown = await arn.locator('[aria-hidden="true"]').first().innerText();
    expect(shown).toContain('…');
    expect(shown.length).toBeLessThan(full.length);
    await arn.getByRole('button', { name: `Copy ${full}` }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(full);
  });

  test('at phone width the page is no wider than the screen: the table scrolls inside its box', async ({ page, loginAs }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await loginAs('SECURITY');
    await page.goto('/catalog');
    await expect(page.getByTestId('catalog-secrets')).toBeVisible();
    const { page: pageWidth, screen } = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
    expect(pageWidth).toBeLessThanOrEqual(screen);
  });
});

test('the approvals queue shows the justification and the requester’s history', async ({ page, loginAs, playwright }) => {
  const cookie = await sessionCookie(USERS.ENGINEER.id);
  const engineer = await playwright.request.newContext({
    baseURL: E2E_BASE_URL,
    extraHTTPHeaders: { origin: E2E_BASE_URL, cookie: `${cookie.name}=${cookie.value}` },
  });
  const justification = `Checking the payout webhook for INC-${Date.now().toString(36)}`;
  const created = await engineer.post('/api/v1/requests', {
    data: { type: 'SECRET_READ', secretId: 'sec_dev_payments_stripe_api_key', justification, durationMinutes: 30, breakGlass: false },
  });
  expect(created.status()).toBe(201);
  const { request } = (await created.json()) as { request: { id: string } };
  await engineer.dispose();

  await loginAs('SECURITY');
  // The page shows the oldest 50 first (decision 056); other specs' requests may be older than this one.
  await page.goto('/approvals');
  expect(await page.getByTestId('approval-queue').locator('tbody tr').count()).toBeLessThanOrEqual(50);
  await page.goto('/approvals?show=200');
  const row = page.getByTestId('approval-queue').locator(`tr[data-request="${request.id}"]`);
  await expect(row.getByTestId('approval-justification')).toHaveText(justification);
  await expect(row.getByTestId('requester-history')).toContainText(/\d+ in 90 days: \d+ approved, \d+ rejected/);
  // The queue searches the justification too.
  await page.getByRole('searchbox').fill(justification.slice(-12));
  await expect(page.getByTestId('approval-queue').locator('tbody tr')).toHaveCount(1);
});

test('alarms: an environment with an alarm in ALARM is not Healthy, and the cards say what Deployments says runs there', async ({ page, loginAs }) => {
  await loginAs('OPS');
  await page.goto('/alarms');
  const prod = page.getByTestId('env-card-prod');
  await expect(prod.getByTestId('health-badge')).toHaveText(/Healthy|Degraded|Down/, { timeout: 45_000 });
  // Read together, from one render: the count and the badge beside it.
  const seen = await prod.evaluate((card) => ({
    inAlarm: Number(card.querySelector('[data-testid="count-prod-ALARM"] span')?.textContent ?? '0'),
    badge: card.querySelector('[data-testid="health-badge"]')?.textContent ?? '',
  }));
  if (seen.inAlarm > 0) expect(seen.badge).not.toBe('Healthy');
  for (const env of ['dev', 'staging', 'prod']) {
    await expect(page.getByTestId(`env-card-${env}`).getByTestId('deployed-release')).toHaveText(
      /^(Not deployed|Deployed: \S+|Deployed \(release not recorded\))$/,
    );
  }
  // The environments' alarms are tables of the same columns, services as a column.
  const widths = await page
    .getByTestId('alarm-groups')
    .locator('table')
    .evaluateAll((tables) => tables.map((t) => [...t.querySelectorAll('thead th')].map((th) => Math.round(th.getBoundingClientRect().width)).join(',')));
  expect(widths.length).toBeGreaterThan(1);
  expect(new Set(widths).size).toBe(1);
  await expect(page.getByTestId('alarm-groups').locator('thead th').first()).toHaveText(/State/);
});

test('costs compare the same days of both months, say which, and mark today as partial', async ({ page, loginAs }) => {
  await loginAs('OPS');
  await page.goto('/costs');
  await expect(page.getByTestId('by-env-periods')).toHaveText(/^Month to date \(.+ – .+\) against the same days of last month \(.+ – .+\)\.$/);
  await expect(page.getByTestId('by-env').getByRole('columnheader')).toHaveText(['By environment', 'Month to date', 'Same days last month']);
  await expect(page.getByTestId('partial-day')).toContainText('is a partial day');
});
