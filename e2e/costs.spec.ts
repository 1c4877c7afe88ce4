import { expect, test } from './fixtures/test';

test.describe('cost overview', () => {
  test('renders charts and figures from the sandbox, filters in the URL, bounded refresh for ops', async ({ page, loginAs }) => {
    await loginAs('OPS');
    await page.goto('/costs');
    await expect(page.getByRole('heading', { name: 'Costs', exact: true })).toBeVisible();
    await expect(page.getByTestId('cost-basis')).toHaveText('Cost basis: Unblended');
    await expect(page.getByTestId('kpi-mtd')).toContainText('$');
    await expect(page.getByTestId('kpi-forecast')).toContainText('80% range');
    await expect(page.getByTestId('cost-requests')).toContainText(/Cost Explorer requests this month: \d+/);
    await expect(page.getByTestId('cost-status')).toContainText('Data as of');
    // "Data as of" is shown in the viewer's time zone, labelled (the browser runs in Asia/Seoul; docs/decisions/048).
    const asOf = page.getByTestId('cost-status').locator('time');
    const iso = (await asOf.getAttribute('datetime'))!;
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', {
        timeZone: 'Asia/Seoul',
        month: 'short',
        day: 'numeric',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      })
        .formatToParts(new Date(iso))
        .map((p) => [p.type, p.value]),
    );
    await expect(asOf).toHaveText(`${parts.month} ${parts.day}, ${parts.year}, ${parts.hour}:${parts.minute} UTC+9`);
    // Stacked bars drawn from the sandbox's answers: this month per day, and 13 months.
    await expect(page.getByTestId('chart-daily').locator('.recharts-bar-rectangle').first()).toBeVisible();
    expect(await page.getByTestId('chart-monthly').locator('.recharts-bar-rectangle').count()).toBeGreaterThanOrEqual(13);
    await expect(page.getByTestId('chart-monthly').getByText('NAT Gateway').first()).toBeVisible();
    await expect(page.getByTestId('by-env')).toContainText('prod');
    await expect(page.getByTestId('by-team')).toContainText('(untagged)');
    await expect(page.getByTestId('top-movers')).toBeVisible();
    await expect(page.getByTestId('forecast-next').locator('tbody tr')).toHaveCount(3);

    // Filters go into the URL, so a view can be shared.
    await page.getByLabel('Cost basis').selectOption('amortized');
    await page.getByLabel('Environment').selectOption('prod');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page).toHaveURL(/basis=amortized/);
    await expect(page).toHaveURL(/env=prod/);
    await expect(page.getByTestId('cost-basis')).toHaveText('Cost basis: Amortized');
    await expect(page.getByTestId('by-env').locator('tbody tr')).toHaveCount(1);

    // Refresh now: the answers are younger than 10 minutes, so nothing is fetched again.
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Nothing refreshed' })).toBeVisible();

    await page.getByRole('link', { name: 'Cost model' }).click();
    await expect(page).toHaveURL(/\/costs\/model$/);
  });

  test('an engineer reads costs without the refresh button; bad filters give a clear error and a 400 from the API', async ({ page, loginAs }) => {
    await loginAs('ENGINEER');
    await page.goto('/costs?team=payments');
    await expect(page.getByTestId('kpi-mtd')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Refresh now' })).toHaveCount(0);

    await page.goto('/costs?env=qa&basis=blended');
    const alert = page.getByRole('alert').filter({ hasText: 'These filters are not valid' });
    await expect(alert).toContainText('Environment: must be one of dev, staging, prod');
    await expect(alert).toContainText('Cost basis: must be one of unblended, amortized');
    await expect(page.getByTestId('kpi-mtd')).toHaveCount(0);

    const bad = await page.request.get('/api/v1/costs?env=qa');
    expect(bad.status()).toBe(400);
    expect((await bad.json()).error.code).toBe('BAD_REQUEST');
    const ok = await page.request.get('/api/v1/costs?basis=amortized');
    expect(ok.status()).toBe(200);
    const body = await ok.json();
    expect(body.mode).toBe('sandbox');
    expect(body.overview.basis).toBe('amortized');
    expect(body.overview.monthly).toHaveLength(13);
    expect(body.requestsThisMonth.count).toBeGreaterThan(0);
  });
});

test.describe('cost overview when the forecast fails', () => {
  // The sandbox's Cost Explorer fails GetCostForecast (a simulated outage) for the team filter
  // "forecast-outage" (lib/server/sandbox/cost-explorer.ts, decision 027).
  test('shows the billed figures with the forecast marked unavailable, in both languages, and does not ask again on every view', async ({ page, loginAs }) => {
    await loginAs('ENGINEER');
    const first = await page.request.get('/api/v1/costs?team=forecast-outage');
    expect(first.status()).toBe(200);
    const body = await first.json();
    expect(body.overview.monthly).toHaveLength(13);
    expect(typeof body.overview.monthToDate).toBe('number');
    expect(body.overview.forecast).toBeNull();
    expect(body.forecastUnavailable).toMatchObject({ code: 'UNAVAILABLE' });
    const retryIn = Date.parse(body.forecastUnavailable.retryAt) - Date.parse(body.forecastUnavailable.failedAt);
    expect(retryIn).toBe(5 * 60_000);

    // Within the backoff every view is answered from what is recorded: the same failure, no new attempt.
    const again = await Promise.all(Array.from({ length: 10 }, () => page.request.get('/api/v1/costs?team=forecast-outage').then((r) => r.json())));
    expect(new Set(again.map((b) => b.forecastUnavailable.failedAt))).toEqual(new Set([body.forecastUnavailable.failedAt]));
    expect(new Set(again.map((b) => b.asOf))).toEqual(new Set([body.asOf]));

    await page.goto('/costs?team=forecast-outage');
    await expect(page.getByTestId('kpi-mtd')).toContainText('$');
    await expect(page.getByTestId('chart-monthly')).toBeVisible();
    const notice = page.getByTestId('forecast-unavailable');
    await expect(notice).toContainText('Forecast unavailable: Cost Explorer did not answer it (UNAVAILABLE). Billed costs are shown');
    await expect(notice.locator('time')).toHaveAttribute('datetime', body.forecastUnavailable.retryAt);
    await expect(page.getByTestId('kpi-forecast')).toContainText('Unavailable');
    await expect(page.getByTestId('kpi-forecast')).not.toContainText('80% range');
    await expect(page.getByTestId('forecast-next')).toHaveCount(0);

    await page.context().addCookies([{ name: 'gh_locale', value: 'ko', url: page.url() }]);
    await page.reload();
    await expect(page.getByTestId('forecast-unavailable')).toContainText('예측을 가져올 수 없습니다');
    await expect(page.getByTestId('kpi-forecast')).toContainText('사용할 수 없음');
  });
});

test.describe('cost model', () => {
  test('shows the document scenario, and changing an input updates both totals, the chart and the URL', async ({ page, loginAs }) => {
    await loginAs('ENGINEER');
    await page.goto('/costs/model');
    await expect(page.getByTestId('price-version')).toContainText('Prices: table 2026-11-29.1 (us-east-1)');
    await expect(page.getByTestId('document-reproduction')).toContainText('$21.90');
    await expect(page.getByTestId('document-totals')).toContainText('the document $24.00 and $46.00');
    await expect(page.getByTestId('lines-lambda')).toContainText('left out');
    const lambdaTotal = page.getByTestId('total-lambda-amount');
    const fargateTotal = page.getByTestId('total-fargate-amount');
    const lambdaLine = page.getByTestId('model-chart').locator('.line-lambda path.recharts-curve').first();
    await expect(lambdaLine).toBeVisible();
    const before = { lambda: await lambdaTotal.innerText(), fargate: await fargateTotal.innerText(), path: await lambdaLine.getAttribute('d') };
    await expect(page.getByTestId('break-even')).toContainText('Break-even at about');

    await page.getByLabel('Requests per hour, normally').fill('20000');

    await expect(lambdaTotal).not.toHaveText(before.lambda);
    await expect(fargateTotal).not.toHaveText(before.fargate);
    await expect.poll(() => lambdaLine.getAttribute('d')).not.toBe(before.path);
    await expect(page).toHaveURL(/normalPerHour=20000/);

    // The link reopens the same comparison.
    const after = await lambdaTotal.innerText();
    await page.reload();
    await expect(page.getByLabel('Requests per hour, normally')).toHaveValue('20000');
    await expect(lambdaTotal).toHaveText(after);

    // A value out of range is refused where it is typed; the totals keep the last valid inputs.
    await page.getByLabel('Peak days a month').fill('45');
    await expect(page.getByText('must be between 0 and 30 days')).toBeVisible();
    await expect(lambdaTotal).toHaveText(after);
  });
});
