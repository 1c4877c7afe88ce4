import { expect, sessionCookie, test } from '../fixtures/test';
import { ACCOUNT_ID, emulatorCalls, PROD_ACCOUNT_ID, READABLE_ALARMS, STAGING_ROLE_ARN } from './emulator';

const VIEWERS = 40;

// The counting proxy in front of moto (e2e/serve-aws.ts) counts every DescribeAlarms that reached
// the emulator: one shared cache serves every viewer (docs/decisions/012-alarm-cache.md), at most
// one DescribeAlarms per account and region per 30 s (one page each: the alarms fit in it).
test('the alarm overview from CloudWatch in two accounts, a third unreachable, and many viewers make at most one DescribeAlarms each', async ({
  page,
  loginAs,
  browser,
}) => {
  await loginAs('ENGINEER');
  await page.goto('/alarms');
  await expect(page.getByTestId('alarms-updated').first()).toContainText(/Updated \d+ s ago/);
  await expect(page.getByTestId('alarms-matched')).toHaveText(`${READABLE_ALARMS.length} of ${READABLE_ALARMS.length} alarms`);
  const shown = await page.getByTestId('alarm-row').evaluateAll((els) => els.map((el) => [el.getAttribute('data-alarm'), el.getAttribute('data-state')]));
  // ALARM first, every alarm with the state CloudWatch holds in its account (prod's and dev's).
  expect(shown[0]).toEqual(['serverless-prod-api-5xx', 'ALARM']);
  expect(Object.fromEntries(shown)).toEqual(Object.fromEntries(READABLE_ALARMS.map((a) => [a.name, a.state])));
  const row = (name: string) => page.locator(`[data-testid="alarm-row"][data-alarm="${name}"]`);
  await expect(row('serverless-prod-api-5xx').getByTestId('aws-account')).toHaveText(`e2e-prod · ${PROD_ACCOUNT_ID}`);
  await expect(row('serverless-dev-queue-depth').getByTestId('aws-account')).toHaveText(`e2e-dev · ${ACCOUNT_ID}`);
  // Staging's role refuses the portal: its source says so, naming the role; the others are shown.
  await expect(page.getByTestId('source-error')).toHaveCount(1);
  await expect(page.getByTestId('source-error')).toContainText(STAGING_ROLE_ARN);
  await expect(page.getByTestId('source-error')).toContainText('e2e-staging');

  const before = (await emulatorCalls()).DescribeAlarms ?? 0;
  expect(before).toBeGreaterThanOrEqual(1);
  const viewers = await Promise.all(
    Array.from({ length: VIEWERS }, async () => {
      const context = await browser.newContext();
      await context.addCookies([await sessionCookie('usr_minji_kim')]);
      return context;
    }),
  );
  const answers = await Promise.all(viewers.map(async (v) => (await v.request.get('/api/v1/alarms')).json() as Promise<{ total: number }>));
  await Promise.all(viewers.map((v) => v.close()));
  expect(answers.map((a) => a.total)).toEqual(Array(VIEWERS).fill(READABLE_ALARMS.length));
  // The page and 40 viewers within one 30 s window: at most one more call per readable account (the window may turn over).
  const after = (await emulatorCalls()).DescribeAlarms ?? 0;
  expect(after - before).toBeLessThanOrEqual(2);
});
