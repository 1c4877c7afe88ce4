import { expect, sessionCookie, test } from '../fixtures/test';
import { emulatorCalls, PROD_ACCOUNT_ID } from './emulator';

const VIEWERS = 20;

// Cost Explorer in the emulator: the counting proxy answers GetCostAndUsage with canned figures
// (moto has none to give: $10 a day and $300 a month per group), and GetCostForecast reaches moto,
// which does not implement it, so every forecast fails. Billed costs must still show, the forecast
// marked unavailable, and viewers must not multiply the paid calls.
test('costs from Cost Explorer with a failing forecast: billed costs show, the forecast is unavailable', async ({ page, loginAs, browser }) => {
  const before = await emulatorCalls();
  const viewers = await Promise.all(
    Array.from({ length: VIEWERS }, async () => {
      const context = await browser.newContext();
      await context.addCookies([await sessionCookie('usr_priya_raman')]);
      return context;
    }),
  );
  const answers = await Promise.all(viewers.map((v) => v.request.get('/api/v1/costs')));
  const statuses = answers.map((a) => a.status());
  const bodies = (await Promise.all(answers.map((a) => a.json()))) as {
    mode: string;
    overview: { monthToDate: number; lastMonth: number; forecast: unknown };
    forecastUnavailable: { code: string; retryAt: string } | null;
  }[];
  await Promise.all(viewers.map((v) => v.close()));
  expect(statuses).toEqual(Array(VIEWERS).fill(200));
  const body = bodies[0]!;
  expect(body.mode).toBe('aws');
  expect(body.overview.lastMonth).toBe(600);
  // This month's days so far (today included), two services at $10 a day each.
  expect(body.overview.monthToDate).toBe(new Date().getUTCDate() * 2 * 10);
  expect(bodies.every((b) => b.overview.monthToDate === body.overview.monthToDate)).toBe(true);
  // No forecast, said so, with when it is asked for again.
  expect(bodies.every((b) => b.overview.forecast === null && b.forecastUnavailable !== null)).toBe(true);
  expect(Date.parse(body.forecastUnavailable!.retryAt)).toBeGreaterThan(Date.now());

  const after = await emulatorCalls();
  const delta = (action: string) => (after[action] ?? 0) - (before[action] ?? 0);
  // One GetCostAndUsage per query of the overview (daily, monthly, by tag), however many viewers.
  expect(delta('GetCostAndUsage')).toBe(3);
  // The failing forecast is asked once (the SDK's own retries of a 5xx included), not once per viewer.
  expect(delta('GetCostForecast')).toBeGreaterThanOrEqual(1);
  expect(delta('GetCostForecast')).toBeLessThanOrEqual(5);

  await loginAs('OPS');
  await page.goto('/costs');
  const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
  await expect(page.getByTestId('kpi-mtd')).toContainText(money.format(body.overview.monthToDate));
  await expect(page.getByTestId('kpi-last-month')).toContainText('$600.00');
  await expect(page.getByTestId('chart-monthly').locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.getByTestId('kpi-forecast')).toContainText('Unavailable');
  await expect(page.getByTestId('forecast-unavailable')).toContainText('Forecast unavailable: Cost Explorer did not answer it');
  // Asked in the payer account and split by linked account: prod's cost is its account's (docs/decisions/039).
  await expect(
    page
      .getByTestId('aws-account')
      .filter({ hasText: `e2e-prod · ${PROD_ACCOUNT_ID}` })
      .first(),
  ).toBeVisible();
});
