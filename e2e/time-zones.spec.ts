import { createTranslator } from '../lib/i18n/messages';
import { expect, sessionCookie, test, USERS } from './fixtures/test';

// One time-zone policy (docs/decisions/048-time-zone-policy.md): the browser's zone is remembered in
// a cookie, every time is shown in it with its offset, forms send times with the offset.
test.use({ timezoneId: 'Europe/Berlin' });

const ko = createTranslator('ko');

/** A winter day within the 30 days a request may be scheduled ahead: 2026-12-20 as in the issue while that is ahead. */
function winterDay(): string {
  const now = Date.now();
  const wanted = Date.parse('2026-12-20T09:00:00Z');
  if (wanted > now + 3_600_000 && wanted < now + 29 * 86_400_000) return '2026-12-20';
  // Later runs: ten days ahead (the assertions below read the offset from Intl, not from the app).
  return new Date(now + 10 * 86_400_000).toISOString().slice(0, 10);
}

/** The UTC offset Europe/Berlin has on that day at 10:00, from Intl (independent of the app's code). */
function berlinOffsetHours(day: string): number {
  const noonUtc = new Date(`${day}T12:00:00Z`);
  const berlinHour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', hourCycle: 'h23' }).format(noonUtc));
  return berlinHour - 12;
}

test('the browser’s zone is remembered, the scheduled start is stored as the instant meant, and times carry the zone', async ({ page, loginAs }) => {
  await loginAs('ENGINEER');
  await page.context().clearCookies({ name: 'gh_tz' });
  await page.goto('/requests/new');
  // The first load tells the server the zone (cookie), so server-rendered pages use it.
  await expect.poll(async () => (await page.context().cookies()).find((c) => c.name === 'gh_tz')?.value).toBe('Europe/Berlin');
  await expect(page.getByText('Entered in Europe/Berlin.')).toBeVisible();

  const day = winterDay();
  const offset = berlinOffsetHours(day);
  await page.getByLabel('Secret', { exact: true }).selectOption({ label: 'dev/payments/stripe-api-key (Payments)' });
  await page.getByLabel('Justification').fill('Checking the webhook signing secret before the release');
  await page.getByLabel('Duration (minutes)').fill('60');
  await page.getByLabel('Start later (optional)').fill(`${day}T10:00`);
  await page.getByRole('button', { name: 'Submit request' }).click();
  await expect(page).toHaveURL(/\/requests\/(?!new$)[a-z0-9]+$/);
  const requestId = page.url().split('/').pop()!;

  // Stored: 10:00 in Berlin is 09:00 UTC in winter (08:00 in summer).
  const body = await (await page.request.get(`/api/v1/requests/${requestId}`)).json();
  const expectedUtc = new Date(Date.parse(`${day}T10:00:00Z`) - offset * 3_600_000).toISOString();
  expect(new Date(body.request.startsAt).toISOString()).toBe(expectedUtc);
  if (day === '2026-12-20') expect(new Date(body.request.startsAt).toISOString()).toBe('2026-12-20T09:00:00.000Z');

  // Shown in Berlin with its label, as typed.
  const [y, m, d] = day.split('-').map(Number);
  const month = new Intl.DateTimeFormat('en-US', { month: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(y!, m! - 1, d!)));
  const shown = `${month} ${d}, ${y}, 10:00 UTC+${offset}`;
  await expect(page.getByText(shown).first()).toBeVisible();
  // The timeline names its events in words and numbers them among themselves.
  const timeline = page.getByTestId('timeline');
  await expect(timeline).toContainText('1.');
  await expect(timeline).toContainText('Request created');
  await expect(timeline).not.toContainText('request.created');

  // The user menu pins UTC: the same start now reads 09:00 UTC, and stays so after a reload.
  await page.getByTestId('user-menu').click();
  await expect(page.getByTestId('time-zone-current')).toContainText('Europe/Berlin');
  await page.getByRole('menuitem', { name: 'Use UTC' }).click();
  const utcShown = `${month} ${d}, ${y}, ${String(10 - offset).padStart(2, '0')}:00 UTC`;
  await expect(page.getByText(utcShown).first()).toBeVisible();
  await page.reload();
  await expect(page.getByText(utcShown).first()).toBeVisible();
  // Back to the browser's zone.
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: /Use this browser’s zone \(Europe\/Berlin\)/ }).click();
  await expect(page.getByText(shown).first()).toBeVisible();

  // The audit history names the target (the secret, linked to the request), not its id, in Berlin time.
  await page.context().addCookies([await sessionCookie(USERS.SECURITY.id)]);
  await page.goto(`/audit?request=${requestId}`);
  const table = page.getByTestId('audit-table');
  await expect(table.getByRole('link', { name: 'dev/payments/stripe-api-key' }).first()).toHaveAttribute('href', `/requests/${requestId}`);
  await expect(table).toContainText('Request created');
  await expect(table).toContainText(/UTC\+[12]/);

  // The audit range is typed in the reader's zone: the export link carries the offset, the form shows it back as typed.
  await page.goto('/audit?from=2020-01-15T10:00');
  await expect(page.getByRole('link', { name: 'Export CSV' })).toHaveAttribute('href', /from=2020-01-15T10%3A00%3A00%2B01%3A00/);
  await expect(page.getByRole('form', { name: 'Audit filters' }).locator('input[name="from"]')).toHaveValue(/^2020-01-15T10:00(:00)?$/);
});

test('Korean: tab titles, event names, environments and times in the reader’s zone', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'ko-KR', timezoneId: 'Europe/Berlin' });
  await context.addCookies([await sessionCookie(USERS.SECURITY.id)]);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    // As the shared fixture: refused fetches (401/403/404) are expected answers, not errors.
    if (msg.type() === 'error' && !/status of (401|403|404)/.test(msg.text())) errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));

  await page.goto('/audit');
  await expect(page).toHaveTitle(`${ko('title.audit')} · Gatehouse`);
  await expect.poll(async () => (await context.cookies()).find((c) => c.name === 'gh_tz')?.value).toBe('Europe/Berlin');
  await page.reload();
  const table = page.getByTestId('audit-table');
  // Event names in Korean (the seed and other specs leave events behind).
  await expect(table.locator('tbody tr').first()).toBeVisible();
  const actions = await table.locator('tbody tr td:nth-child(3)').allInnerTexts();
  expect(actions.length).toBeGreaterThan(0);
  for (const a of actions) expect(a).not.toMatch(/^[a-z_]+(\.[a-z_]+)+$/);
  expect(actions.some((a) => /[가-힣]/.test(a))).toBe(true);
  // Times: one format on the server and in the browser, 24-hour, with the zone's offset.
  await expect(table.locator('tbody tr').first().locator('time')).toHaveText(/^\d{4}년 \d{1,2}월 \d{1,2}일 \d{2}:\d{2} UTC\+[12]$/);
  // Environments in the filter, in Korean.
  await expect(page.getByRole('form').locator('select[name="environment"] option[value="PROD"]')).toHaveText('운영');

  for (const [path, key] of [
    ['/deployments', 'title.deployments'],
    ['/requests', 'title.requests'],
    ['/reports', 'reports.title'],
    ['/tokens', 'title.tokens'],
    ['/costs/model', 'title.costModel'],
  ] as const) {
    await page.goto(path);
    await expect(page).toHaveTitle(`${ko(key)} · Gatehouse`);
  }
  // The cost model's formula column in Korean.
  await expect(page.getByTestId('lines-lambda')).toContainText('요금이 없습니다');
  await page.goto('/deployments');
  await expect(page.getByText(ko('deploy.env.prod')).first()).toBeVisible();
  expect(errors, 'console errors (a hydration mismatch is one)').toEqual([]);
  await context.close();
});
