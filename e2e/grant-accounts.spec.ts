import { expect, sessionCookie, test, USERS } from './fixtures/test';

// Every place that shows an AWS resource shows its account (docs/decisions/039): the catalog's
// entries, a grant's preview and panel, and the reconciler's findings.

const ACCOUNT_LABEL = /^([a-z0-9-]+ · )?\d{12}$/;

test('the catalog shows the account of each secret and role', async ({ page, loginAs }) => {
  await loginAs('SECURITY');
  await page.goto('/catalog');
  const secret = page.getByTestId('catalog-secrets').getByRole('row').filter({ hasText: 'prod/payments/stripe-api-key' });
  await expect(secret.getByTestId('aws-account')).toHaveText(ACCOUNT_LABEL);
  const role = page.getByTestId('catalog-roles').getByRole('row').filter({ hasText: 'payments/prod/on-call' });
  await expect(role.getByTestId('aws-account')).toHaveText(ACCOUNT_LABEL);
});

test('an approver sees the account a PROD grant would act in before deciding', async ({ page, browser }) => {
  await page.context().addCookies([await sessionCookie('usr_minji_kim')]);
  const created = await page.request.post('/api/v1/requests', {
    data: { type: 'SECRET_READ', secretId: 'sec_prod_payments_stripe_api_key', justification: 'Compare the prod key rotation date', durationMinutes: 30 },
  });
  expect(created.status()).toBe(201);
  const id = (await created.json()).request.id as string;
  const approver = await browser.newContext();
  await approver.addCookies([await sessionCookie(USERS.SECURITY.id)]);
  const ap = await approver.newPage();
  await ap.goto(`/requests/${id}`);
  const preview = ap.getByTestId('policy-preview');
  await expect(preview.getByText('AWS account')).toBeVisible();
  await expect(preview.getByTestId('aws-account')).toHaveText(ACCOUNT_LABEL);
  await approver.close();
  // Nothing is left pending for the other specs.
  expect((await page.request.post(`/api/v1/requests/${id}/cancel`, { data: {} })).status()).toBe(200);
});
