import { expect, test, USERS, sessionCookie } from './fixtures/test';
import type { Page } from '@playwright/test';

// The sandbox account's alarms move on their own (simulated metrics cross thresholds on a
// schedule), so assertions name properties of the list, not a fixed picture of it.

// Each environment's alarms are in its own simulated account (docs/decisions/040); with several
// accounts an alarm is named with its account.
const ACCOUNT: Record<string, string> = { dev: '111122223333', staging: '444455556666', prod: '777788889999' };
const accountOf = (alarm: string) => ACCOUNT[alarm.split('-')[1]!]!;

/** Waits until the page is hydrated: the data age appears only in the browser. */
async function hydrated(page: Page, testId = 'alarms-updated') {
  await expect(page.getByTestId(testId).first()).toContainText(/Updated \d+ s ago/);
}

/** The overview rows in display order: name, state, last change, environment group. */
async function rows(page: Page) {
  return page.getByTestId('alarm-row').evaluateAll((els) =>
    els.map((el) => ({
      name: el.getAttribute('data-alarm')!,
      state: el.getAttribute('data-state')!,
      updated: el.getAttribute('data-updated')!,
      group: el.closest('section')?.getAttribute('data-testid') ?? '',
    })),
  );
}

test('the overview shows counts and health per environment and every alarm, ALARM first', async ({ page, loginAs }) => {
  await loginAs('ENGINEER');
  await page.goto('/alarms');
  await expect(page.getByRole('heading', { level: 1, name: 'Alarms' })).toBeVisible();
  await expect(page.getByTestId('alarms-updated')).toContainText(/Updated \d+ s ago/);
  for (const env of ['prod', 'staging', 'dev']) {
    await expect(page.getByTestId(`env-card-${env}`)).toBeVisible();
    await expect(page.getByTestId(`group-${env}`)).toBeVisible();
  }
  await expect(page.getByTestId('alarms-matched')).toHaveText('45 of 45 alarms');
  const list = await rows(page);
  expect(list).toHaveLength(45);
  // One table per environment, grouped by service, firing services first and ALARM first within a
  // service (lib/alarms/overview.ts groupAlarms, unit-tested): an environment with an alarm in ALARM
  // starts with one.
  for (const env of ['prod', 'staging', 'dev']) {
    const ofEnv = list.filter((r) => r.name.startsWith(`serverless-${env}-`));
    if (ofEnv.some((r) => r.state === 'ALARM')) expect(ofEnv[0]!.state, env).toBe('ALARM');
  }
  // Counts agree with the list.
  const prodAlarm = Number(await page.getByTestId('count-prod-ALARM').locator('span').first().innerText());
  expect(prodAlarm).toBe(list.filter((r) => r.name.startsWith('serverless-prod-') && r.state === 'ALARM').length);
  // An engineer may read, not set states.
  const res = await page.request.post('/api/v1/alarms/serverless-dev-api-errors/state', { data: { state: 'ALARM', reason: 'x' } });
  expect(res.status()).toBe(403);
});

test('an alarm that goes to ALARM is at the top within one refresh; its detail shows the chart, history and routing', async ({ page, context, loginAs }) => {
  test.setTimeout(90_000);
  await loginAs('OPS');
  await page.goto('/alarms');
  await hydrated(page);
  // A quiet alarm (the simulation may have put one of these in ALARM by itself).
  const candidates = [
    'serverless-staging-worker-throttles',
    'serverless-dev-notifier-errors',
    'serverless-staging-api-throttles',
    'serverless-dev-worker-throttles',
  ];
  const before = await rows(page);
  const name = candidates.find((c) => before.find((r) => r.name === c)?.state === 'OK')!;
  expect(name).toBeTruthy();

  const detail = await context.newPage();
  await detail.goto(`/alarms/${name}?account=${accountOf(name)}`);
  await expect(detail.getByTestId('alarm-name')).toHaveText(name);
  await hydrated(detail, 'detail-updated');
  await expect(detail.getByTestId('alarm-state').first()).toHaveText('OK');
  await detail.getByLabel('New state').selectOption('ALARM');
  await detail.getByLabel('Reason').fill('e2e: testing the Slack path');
  await detail.getByRole('button', { name: 'Set state' }).click();
  await expect(detail.getByRole('status')).toHaveText('The alarm is now In alarm.');
  await expect(detail.getByTestId('alarm-state').first()).toHaveText('In alarm');
  await expect(detail.getByTestId('alarm-reason')).toHaveText('e2e: testing the Slack path (set by Priya Raman in Gatehouse)');

  // The overview, left open, picks it up at its next refresh (every 15 s) and puts it on top: it is
  // the first row, unless an alarm went to ALARM later still (the simulation runs on its own) —
  // then only that alarm's group may come before it.
  await expect
    .poll(
      async () => {
        const list = await rows(page);
        const i = list.findIndex((r) => r.name === name);
        const me = list[i];
        if (!me || me.state !== 'ALARM') return 'not yet';
        const before = list.slice(0, i);
        const newer = new Set(before.filter((r) => r.state === 'ALARM' && r.updated >= me.updated).map((r) => r.group));
        return before.every((r) => newer.has(r.group) || (r.group === me.group && r.state === 'ALARM' && r.updated >= me.updated)) ? 'on top' : `at ${i}`;
      },
      { timeout: 20_000, intervals: [500] },
    )
    .toBe('on top');

  // Detail: the chart with points, the history with the change, and where it goes.
  await expect(detail.getByTestId('metric-chart')).toBeVisible();
  expect(Number(await detail.getByTestId('metric-chart').getAttribute('data-points'))).toBeGreaterThan(100);
  await expect(detail.getByTestId('alarm-history').locator('li[data-type="StateUpdate"]').first()).toContainText('e2e: testing the Slack path');
  await expect(detail.getByTestId('subscription')).toHaveText(`→ lambda ${name.split('-').slice(0, 2).join('-')}-notifier:live`);
  await expect(detail.getByRole('link', { name: /Open in the AWS console/ })).toHaveAttribute('href', new RegExp(`#alarmsV2:alarm/${name}$`));
  await detail.getByRole('button', { name: '24 hours' }).click();
  await expect(detail.getByRole('button', { name: '24 hours' })).toHaveAttribute('aria-pressed', 'true');
  await expect(detail.getByText(/one point per 300 s/)).toBeVisible();

  // The change is in the audit history (read by the security team).
  const security = await context.browser()!.newContext();
  await security.addCookies([await sessionCookie(USERS.SECURITY.id)]);
  const audit = await (await security.newPage()).request.get('/api/v1/audit?action=alarm.state.set');
  expect(audit.status()).toBe(200);
  expect(JSON.stringify(await audit.json())).toContain(name);
  await security.close();
});

test('filters narrow the list and are kept in the URL', async ({ page, loginAs }) => {
  await loginAs('OPS');
  await page.goto('/alarms');
  await hydrated(page);
  await page.getByLabel('Environment', { exact: true }).selectOption('prod');
  await expect(page).toHaveURL(/\/alarms\?env=prod$/);
  await expect(page.getByTestId('alarms-matched')).toHaveText('15 of 45 alarms');
  await page.getByLabel('Search').fill('rds-');
  await expect(page).toHaveURL(/env=prod&q=rds-/);
  await expect(page.getByTestId('alarms-matched')).toHaveText('3 of 45 alarms');
  expect((await rows(page)).map((r) => r.name).sort()).toEqual([
    'serverless-prod-rds-connections',
    'serverless-prod-rds-cpu',
    'serverless-prod-rds-free-storage',
  ]);
  await page.reload();
  await expect(page.getByTestId('alarms-matched')).toHaveText('3 of 45 alarms');
  await hydrated(page);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByTestId('alarms-matched')).toHaveText('45 of 45 alarms');
  // A bad filter in the URL is reported and ignored, not a broken page.
  await page.goto('/alarms?state=BROKEN');
  await expect(page.getByRole('alert').filter({ hasText: 'unknown state BROKEN' })).toBeVisible();
  await expect(page.getByTestId('alarms-matched')).toHaveText('45 of 45 alarms');
});

test('environment health is polled: status, database check and the 24 h strip', async ({ page, loginAs }) => {
  test.setTimeout(60_000);
  await loginAs('OPS');
  await page.goto('/alarms');
  const prod = page.getByTestId('env-card-prod').getByTestId('health-prod');
  // The poller checks every 30 s slot; the page asks every 30 s.
  await expect(prod.getByTestId('health-badge')).toHaveText(/Healthy|Degraded|Down/, { timeout: 45_000 });
  await expect(prod.getByTestId('health-db')).toHaveText(/reachable \(\d+ ms\)|failing|unknown/);
  await expect(prod.getByTestId('health-strip').locator('span')).toHaveCount(96);
  const res = await page.request.get('/api/v1/health/envs');
  const body = await res.json();
  expect(body.environments.map((e: { environment: string }) => e.environment)).toEqual(['prod', 'staging', 'dev']);
});

test('the API validates its parameters', async ({ page, loginAs }) => {
  await loginAs('ENGINEER');
  const get = async (path: string) => {
    const res = await page.request.get(path);
    return { status: res.status(), body: await res.json() };
  };
  expect(await get('/api/v1/alarms?state=BROKEN')).toMatchObject({
    status: 400,
    body: { error: { code: 'BAD_REQUEST', message: 'state: unknown state BROKEN: use ALARM, INSUFFICIENT_DATA, OK' } },
  });
  expect((await get('/api/v1/alarms?colour=red')).status).toBe(400);
  expect((await get('/api/v1/alarms?sort=size')).status).toBe(400);
  expect((await get('/api/v1/alarms/serverless-prod-rds-cpu/metrics?range=1y')).status).toBe(400);
  expect((await get('/api/v1/alarms/serverless-prod-rds-cpu?region=mars')).status).toBe(400);
  expect((await get(`/api/v1/alarms/no-such-alarm?account=${ACCOUNT.prod}`)).status).toBe(404);
  const ok = await get('/api/v1/alarms?state=alarm,ok&env=prod&sort=name&order=desc');
  expect(ok.status).toBe(200);
  expect(ok.body.groups.every((g: { environment: string }) => g.environment === 'prod')).toBe(true);
  const metrics = await get(`/api/v1/alarms/serverless-prod-rds-cpu/metrics?range=7d&account=${ACCOUNT.prod}`);
  expect(metrics).toMatchObject({ status: 200, body: { range: '7d', period: 3600, threshold: 80 } });
  expect(metrics.body.series[0].points.length).toBeGreaterThan(160);
});

test('the dashboard speaks Korean', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'ko-KR', timezoneId: 'Asia/Seoul' });
  await context.addCookies([await sessionCookie(USERS.OPS.id)]);
  const page = await context.newPage();
  await page.goto(`/alarms/serverless-prod-rds-cpu?account=${ACCOUNT.prod}`);
  await expect(page.getByRole('link', { name: /AWS 콘솔에서 열기/ })).toBeVisible();
  await expect(page.getByRole('button', { name: '24시간' })).toBeVisible();
  await page.goto('/alarms');
  await expect(page.getByRole('heading', { level: 1, name: '알람' })).toBeVisible();
  await context.close();
});
