import { expect, sessionCookie, test } from '../fixtures/test';
import { ALARMS, emulatorCalls } from './emulator';

const VIEWERS = 40;

// The counting proxy in front of moto (e2e/serve-aws.ts) counts every DescribeAlarms that reached
// the emulator: one shared cache serves every viewer (docs/decisions/012-alarm-cache.md), at most
// one DescribeAlarms per region per 30 s (one page: the four alarms fit in it).
test('the alarm overview from CloudWatch, and many viewers make at most one DescribeAlarms', async ({ page, loginAs, browser }) => {
  await loginAs('ENGINEER');
  await page.goto('/alarms');
  await expect(page.getByTestId('alarms-updated').first()).toContainText(/Updated \d+ s ago/);
  await expect(page.getByTestId('alarms-matched')).toHaveText(`${ALARMS.length} of ${ALARMS.length} alarms`);
  const shown = await page.getByTestId('alarm-row').evaluateAll((els) => els.map((el) => [el.getAttribute('data-alarm'), el.getAttribute('data-state')]));
  // ALARM first, every alarm with the state CloudWatch holds.
  expect(shown[0]).toEqual(['serverless-prod-api-5xx', 'ALARM']);
  expect(Object.fromEntries(shown)).toEqual(Object.fromEntries(ALARMS.map((a) => [a.name, a.state])));

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
  expect(answers.map((a) => a.total)).toEqual(Array(VIEWERS).fill(ALARMS.length));
  // The page and 40 viewers within one 30 s window: at most one more call (the window may turn over).
  const after = (await emulatorCalls()).DescribeAlarms ?? 0;
  expect(after - before).toBeLessThanOrEqual(1);
});
