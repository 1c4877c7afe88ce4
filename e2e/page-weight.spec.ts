import zlib from 'node:zlib';
import type { Page, Response } from '@playwright/test';
import budget from '../scripts/page-weight-budget.json';
import { expect, test } from './fixtures/test';

// The page-weight budget as the browser sees it (docs/decisions/052-page-weight-budget.md): the
// JavaScript a page loads, gzipped, within the enforced budget of scripts/page-weight-budget.json
// (`npm run size -- --budget` checks the build's figures for every route), and the chart library
// only where a chart is drawn. recharts renders a `recharts-wrapper`: a script holding that string
// is the chart library.
const RECHARTS = 'recharts-wrapper';

/** Every script the page loaded from our server while it opened (and while `after` ran), with its gzipped size. */
async function scriptsOf(page: Page, url: string, after?: () => Promise<void>) {
  const scripts: { url: string; body: string; gzip: number }[] = [];
  const pending: Promise<void>[] = [];
  const listener = (res: Response) => {
    if (res.request().resourceType() !== 'script' || !res.url().includes('/_next/static/')) return;
    pending.push(
      res.body().then((body) => {
        scripts.push({ url: res.url(), body: body.toString('utf8'), gzip: zlib.gzipSync(body).length });
      }),
    );
  };
  page.on('response', listener);
  await page.goto(url);
  await page.waitForLoadState('networkidle');
  if (after) await after();
  page.off('response', listener);
  await Promise.all(pending);
  return { scripts, kb: scripts.reduce((n, s) => n + s.gzip, 0) / 1024, charts: scripts.some((s) => s.body.includes(RECHARTS)) };
}

test('pages without charts stay within the budget and load no chart library', async ({ page, loginAs }) => {
  await loginAs('ADMIN');
  for (const url of ['/', '/requests/new', '/alarms', '/deployments', '/audit']) {
    const { kb, charts } = await scriptsOf(page, url);
    expect(charts, `${url} loads recharts`).toBe(false);
    expect(kb, `${url}: ${kb.toFixed(1)} kB gzip of JavaScript`).toBeLessThanOrEqual(budget.enforced.page);
  }
});

test('a page with a chart loads the chart library when the chart is drawn', async ({ page, loginAs }) => {
  await loginAs('OPS');
  const alarm = await scriptsOf(page, '/alarms/serverless-prod-rds-cpu?account=777788889999', () => expect(page.getByTestId('metric-chart')).toBeVisible());
  expect(alarm.charts).toBe(true);
  const model = await scriptsOf(page, '/costs/model', () => expect(page.locator('[data-testid="model-chart"] .recharts-wrapper')).toBeVisible());
  expect(model.charts).toBe(true);
});
