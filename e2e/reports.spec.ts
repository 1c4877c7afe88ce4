import fs from 'node:fs';
import type { APIRequestContext } from '@playwright/test';
import { E2E_BASE_URL } from './fixtures/constants';
import { expect, navLabels, sessionCookie, test, USERS } from './fixtures/test';

const DANIEL = 'usr_daniel_okafor';

async function apiAs(playwright: { request: { newContext: (o: object) => Promise<APIRequestContext> } }, userId: string) {
  const cookie = await sessionCookie(userId);
  return playwright.request.newContext({ baseURL: E2E_BASE_URL, extraHTTPHeaders: { origin: E2E_BASE_URL, cookie: `${cookie.name}=${cookie.value}` } });
}

/** Waits for the request's grant to be applied in the sandbox; returns its id. */
async function activeGrant(api: APIRequestContext, requestId: string): Promise<string> {
  const grant = async () => ((await (await api.get(`/api/v1/requests/${requestId}`)).json()) as { grant?: { id: string; status: string } }).grant;
  await expect.poll(async () => (await grant())?.status, { timeout: 20_000 }).toBe('ACTIVE');
  return (await grant())!.id;
}

test('security sees the reports: a chart and a table for each, CSV downloads, a never-used grant until its use is simulated', async ({
  page,
  loginAs,
  playwright,
}) => {
  test.setTimeout(90_000);
  // Daniel (data) reads the dev warehouse key, approved by security, and gives it back early;
  // then breaks glass on the prod one and gives that back too.
  const daniel = await apiAs(playwright, DANIEL);
  const security = await apiAs(playwright, USERS.SECURITY.id);
  const created = await daniel.post('/api/v1/requests', {
    data: { type: 'SECRET_READ', secretId: 'sec_dev_data_warehouse_readonly', justification: 'Check the nightly load of the warehouse', durationMinutes: 120 },
  });
  expect(created.status()).toBe(201);
  const requestId = ((await created.json()) as { request: { id: string } }).request.id;
  expect((await security.post(`/api/v1/requests/${requestId}/approve`, { data: {} })).status()).toBe(200);
  const grantId = await activeGrant(daniel, requestId);
  expect((await daniel.post(`/api/v1/grants/${grantId}/give-back`, { data: {} })).status()).toBe(200);
  const glass = await daniel.post('/api/v1/requests', {
    data: {
      type: 'SECRET_READ',
      secretId: 'sec_prod_data_warehouse_readonly',
      justification: 'Warehouse reports fail since 09:12',
      durationMinutes: 30,
      breakGlass: true,
      breakGlassReason: 'Board report due, loader is stuck',
    },
  });
  expect(glass.status()).toBe(201);
  const glassId = ((await glass.json()) as { request: { id: string } }).request.id;
  expect((await daniel.post(`/api/v1/grants/${await activeGrant(daniel, glassId)}/give-back`, { data: {} })).status()).toBe(200);

  await loginAs('SECURITY');
  await page.goto('/reports');
  await expect(page.getByRole('heading', { name: 'Reports', exact: true })).toBeVisible();
  expect(await navLabels(page)).toContain('Reports');
  await expect(page.getByTestId('report-period')).toHaveText(/^From \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2} \(UTC\)$/);

  // Every report draws its chart (recharts, loaded in the browser on this page only). Counts are at
  // least one here; waits may round to 0 s in a test (approved within milliseconds), so the time
  // chart is checked by its series, in seconds.
  for (const chart of ['chart-requests', 'chart-break-glass', 'chart-grants', 'chart-approver-load']) {
    await expect(page.getByTestId(chart).locator('.recharts-bar-rectangle').first()).toBeVisible();
  }
  await expect(page.getByTestId('chart-time-to-approve').locator('.recharts-legend-item')).toHaveText([
    'First decision p50 (seconds)',
    'First decision p95 (seconds)',
  ]);
  await expect(page.getByTestId('report-time-to-approve')).toContainText('Secret read');
  await expect(page.getByTestId('report-break-glass').locator('tr', { hasText: 'Daniel Okafor' })).toContainText('Data');
  await expect(page.getByTestId('report-approver-load')).toContainText(USERS.SECURITY.name);

  // The given-back grant: early, and never used — until the sandbox records that Daniel read the key.
  const row = page.locator(`tr[data-grant-id="${grantId}"]`);
  await expect(row.getByTestId('given-back')).toContainText(/Given back \d+ min early/);
  await expect(row.getByTestId('usage')).toHaveAttribute('data-usage', 'unused');
  await expect(row.getByTestId('usage')).toContainText('Never used');
  await row.getByRole('button', { name: 'Simulate use' }).click();
  await expect(row.getByTestId('usage')).toHaveAttribute('data-usage', 'used');
  await expect(row.getByTestId('usage')).toContainText('Used (GetSecretValue)');
  await expect(page.getByTestId('cloudtrail-unavailable')).toHaveCount(0);

  // CSV downloads through the authorizing route.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('csv-break-glass').click()]);
  expect(download.suggestedFilename()).toMatch(/^gatehouse-break-glass-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = fs.readFileSync((await download.path())!, 'utf8');
  expect(text.split('\r\n')[0]).toBe('user_id,user,team_id,team,uses,acknowledged,escalated,unreviewed');
  expect(text).toMatch(new RegExp(`\r\n${DANIEL},Daniel Okafor,team_data,Data,\\d+,`));
  const [grants] = await Promise.all([page.waitForEvent('download'), page.getByTestId('csv-grants').click()]);
  expect(fs.readFileSync((await grants.path())!, 'utf8')).toMatch(new RegExp(`\r\n${grantId},DEV,SECRET_READ,Daniel Okafor,Data,.*,GIVEN_BACK,true,used,`));

  // A reversed period is named, and no figures are shown for it.
  await page.goto('/reports?from=2026-12-02&to=2026-12-01');
  await expect(page.getByRole('alert').filter({ hasText: 'This period is not valid' })).toContainText('from: must not be after to');
  await expect(page.getByTestId('report-requests')).toHaveCount(0);
  await daniel.dispose();
  await security.dispose();
});

for (const role of ['ENGINEER', 'OPS'] as const) {
  test(`${role.toLowerCase()} is refused the reports page and its CSV`, async ({ page, loginAs }) => {
    await loginAs(role);
    const res = await page.goto('/reports');
    expect(res?.status()).toBe(403);
    await expect(page.getByTestId('report-requests')).toHaveCount(0);
    expect(await navLabels(page)).not.toContain('Reports');
    const csv = await page.request.get('/api/v1/reports/requests?format=csv');
    expect(csv.status()).toBe(403);
    expect(((await csv.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
  });
}
