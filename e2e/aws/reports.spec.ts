import { expect, sessionCookie, test, USERS } from '../fixtures/test';
import { approve, contextAs, grantWhen } from './helpers';

// moto (5.2) does not implement CloudTrail's LookupEvents (it answers 500): in aws mode against it,
// the reports page must say that CloudTrail could not be asked, and show the grant's use as
// unknown — never as "never used" (docs/decisions/051-reports.md).
test('the reports page says where CloudTrail cannot be asked instead of calling a grant unused', async ({ page, browser, loginAs }) => {
  const holder = await browser.newContext();
  await holder.addCookies([await sessionCookie('usr_daniel_okafor')]);
  const created = await holder.request.post('/api/v1/requests', {
    data: { type: 'ROLE', roleId: 'role_data_dev_read_only', justification: 'Check the reports against the emulator', durationMinutes: 60 },
  });
  expect(created.status()).toBe(201);
  const requestId = (await created.json()).request.id as string;
  const security = await contextAs(browser, USERS.SECURITY.id);
  await approve(security.request, requestId);
  await security.close();
  const grant = await grantWhen(holder.request, requestId, 'ACTIVE');

  await loginAs('SECURITY');
  await page.goto('/reports');
  await expect(page.getByTestId('cloudtrail-unavailable')).toHaveText(
    'CloudTrail could not be asked in dev: CloudTrail did not answer. Usage there is shown as unknown, not as never used.',
  );
  const row = page.locator(`tr[data-grant-id="${grant.id}"]`);
  await expect(row.getByTestId('usage')).toHaveAttribute('data-usage', 'unknown');
  await expect(row.getByTestId('usage')).toHaveText('Unknown: CloudTrail did not answer');
  // No sandbox control in aws mode.
  await expect(page.getByRole('button', { name: 'Simulate use' })).toHaveCount(0);

  // The grant is given back so that the next specs find no grant of this role in flight.
  expect((await holder.request.post(`/api/v1/grants/${grant.id}/give-back`, { data: {} })).status()).toBe(200);
  await grantWhen(holder.request, requestId, 'ENDED', 30_000);
  await holder.close();
});
