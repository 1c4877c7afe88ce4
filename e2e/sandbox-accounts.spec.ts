import { expect, test } from './fixtures/test';

// The sandbox simulates one account per environment by default (docs/decisions/040): the page
// shows each account's id and alias, its environment, and what it holds.
test('the sandbox page lists the three simulated accounts, each holding its own environment’s secrets and stack', async ({ page, loginAs }) => {
  await loginAs('ENGINEER');
  await page.goto('/sandbox');
  const accounts = page.getByTestId('sandbox-accounts');
  const expected = [
    ['111122223333', 'sandbox-dev · 111122223333', 'dev'],
    ['444455556666', 'sandbox-staging · 444455556666', 'staging'],
    ['777788889999', 'sandbox-prod · 777788889999', 'prod'],
  ];
  await expect(accounts.locator('tbody tr')).toHaveCount(3);
  for (const [id, label, environment] of expected) {
    const row = accounts.locator(`tr[data-account-id="${id}"]`);
    await expect(row.getByTestId('aws-account')).toHaveText(label!);
    await expect(row.getByTestId('account-environments')).toHaveText(environment!);
  }

  const prod = page.locator('section[data-account-id="777788889999"]');
  await expect(prod.getByTestId('aws-account')).toHaveText('sandbox-prod · 777788889999');
  await expect(prod.locator('li[data-secret-name="prod/payments/stripe-api-key"]')).toContainText(
    'arn:aws:secretsmanager:us-east-1:777788889999:secret:prod/payments/stripe-api-key-',
  );
  await expect(prod.locator('li[data-stack-name="serverless-prod"]')).toContainText('arn:aws:cloudformation:us-east-1:777788889999:stack/serverless-prod/');
  await expect(prod.locator('li[data-user-name="minji.kim"]')).toHaveText('arn:aws:iam::777788889999:user/minji.kim');

  const dev = page.locator('section[data-account-id="111122223333"]');
  await expect(dev.locator('li[data-secret-name="dev/payments/stripe-api-key"]')).toContainText(':111122223333:secret:dev/payments/stripe-api-key-');
  await expect(dev.locator('li[data-secret-name="prod/payments/stripe-api-key"]')).toHaveCount(0);
  await expect(dev.locator('li[data-stack-name="serverless-prod"]')).toHaveCount(0);

  const staging = page.locator('section[data-account-id="444455556666"]');
  await expect(staging.locator('li[data-stack-name="serverless-staging"]')).toContainText(':444455556666:stack/serverless-staging/');
  await expect(staging.locator('li[data-secret-name]')).toHaveCount(1);
});
