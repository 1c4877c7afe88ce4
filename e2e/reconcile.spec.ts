import { expect, test } from './fixtures/test';

// Other spec files apply and end grants in parallel: the page may show findings mid-flight, so
// this checks the page, not an exact count.
test('security opens the reconciler and sees the scan', async ({ page, loginAs }) => {
  await loginAs('SECURITY');
  const res = await page.goto('/reconcile');
  expect(res?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: 'Reconcile AWS with grants' })).toBeVisible();
  await expect(page.getByTestId('scanned-at')).toContainText(/Scanned at .+: \d+ polic(y|ies) in AWS\./);
  await expect(page.getByText(/^(Nothing to reconcile|\d+ findings?)$/)).toBeVisible();
});

test('an engineer may not open the reconciler', async ({ page, loginAs }) => {
  await loginAs('ENGINEER');
  const res = await page.goto('/reconcile');
  expect(res?.status()).toBe(403);
  await expect(page.getByRole('heading', { level: 1, name: 'Reconcile AWS with grants' })).toHaveCount(0);
});
