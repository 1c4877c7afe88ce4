import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { expect, test, USERS } from '../fixtures/test';
import { ACCOUNT_ID, motoClientConfig, PROD_ACCOUNT_ID, PROD_SECRET_NAME } from './emulator';
import { approve, contextAs, grantWhen, policyDocumentInAws, userPolicyArns } from './helpers';

const LUCAS = 'usr_lucas_meyer';

test('a prod secret read: two approvals, the exact policy in the prod account, and give-back removes it there', async ({ page, loginAs, browser }) => {
  // The secret exists in prod's account (e2e/serve-aws.ts made it); security puts it in the catalog with its real ARN.
  const secret = await new SecretsManagerClient(motoClientConfig(PROD_ACCOUNT_ID)).send(new DescribeSecretCommand({ SecretId: PROD_SECRET_NAME }));
  const secretArn = secret.ARN!;
  await loginAs('SECURITY');
  await page.goto('/catalog');
  const form = page.getByRole('form', { name: 'Add secret' });
  await form.getByLabel('Environment').selectOption('PROD');
  await form.getByLabel('Owning team').selectOption({ label: 'Payments' });
  await form.getByLabel('Name', { exact: true }).fill(PROD_SECRET_NAME.split('/').pop()!);
  await form.getByLabel('Description').fill('Ledger API key');
  await form.getByLabel('Secrets Manager ARN (optional)').fill(secretArn);
  await form.getByRole('button', { name: 'Add secret' }).click();
  // A catalog entry is a control-plane change: it waits for a second person (docs/decisions/032),
  // and its ARN was checked against prod's account and region (GATEHOUSE_ACCOUNTS, decision 039).
  await expect(form.getByRole('status')).toHaveText('Proposed, awaiting a second approver.');
  const reviewer = await contextAs(browser, LUCAS);
  const reviewerPage = await reviewer.newPage();
  await reviewerPage.goto('/catalog');
  const proposal = reviewerPage.getByTestId('pending-changes').locator(`tr[data-target="${PROD_SECRET_NAME}"]`);
  await proposal.getByRole('button', { name: 'Approve and apply' }).click();
  await expect(reviewerPage.getByTestId('pending-changes').locator(`tr[data-target="${PROD_SECRET_NAME}"]`)).toHaveCount(0);
  await reviewer.close();
  await page.context().clearCookies();

  // The engineer asks in the browser.
  await loginAs('ENGINEER');
  await page.goto('/requests/new');
  await page.getByLabel('Secret', { exact: true }).selectOption({ label: `${PROD_SECRET_NAME} (Payments)` });
  await expect(page.getByTestId('rule-preview')).toContainText('2 approvals from the security team');
  await page.getByLabel('Justification').fill('Reconcile the ledger export of INC-5120');
  await page.getByLabel('Duration (minutes)').fill('60');
  await page.getByRole('button', { name: 'Submit request' }).click();
  await expect(page).toHaveURL(/\/requests\/(?!new$)[a-z0-9]+$/);
  const requestId = page.url().split('/').pop()!;

  // First approval in the browser, second through the API; nothing in AWS before the second.
  const first = await contextAs(browser, USERS.SECURITY.id);
  const firstPage = await first.newPage();
  await firstPage.goto(`/requests/${requestId}`);
  await firstPage.getByRole('button', { name: 'Approve' }).click();
  await expect(firstPage.getByTestId('decisions')).toContainText(USERS.SECURITY.name);
  await first.close();
  const pending = (await (await page.request.get(`/api/v1/requests/${requestId}`)).json()) as { request: { status: string }; grant: unknown };
  expect(pending.request.status).toBe('PENDING');
  expect(pending.grant).toBeNull();
  const second = await contextAs(browser, LUCAS);
  await approve(second.request, requestId);
  await second.close();

  const grant = await grantWhen(page.request, requestId, 'ACTIVE');
  // In prod's account, through the role the portal assumed there; nothing of it in the portal's own account.
  expect(grant.policyArn).toBe(`arn:aws:iam::${PROD_ACCOUNT_ID}:policy/gatehouse/gatehouse-grant-${grant.id}`);
  expect(await policyDocumentInAws(`arn:aws:iam::${ACCOUNT_ID}:policy/gatehouse/gatehouse-grant-${grant.id}`)).toBeNull();
  expect(await userPolicyArns('minji.kim', ACCOUNT_ID)).toEqual([]);
  // Read back from prod's account in the emulator: one statement, the one ARN, two actions, the time limit.
  expect(await policyDocumentInAws(grant.policyArn!)).toEqual({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ReadOneSecret',
        Effect: 'Allow',
        Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        Resource: [secretArn],
        Condition: { DateLessThan: { 'aws:CurrentTime': new Date(grant.endsAt).toISOString() } },
      },
    ],
  });
  expect(await userPolicyArns('minji.kim', PROD_ACCOUNT_ID)).toContain(grant.policyArn);
  // What a reader of the run sees: where the policy is, read back from the emulator per account.
  console.log(
    `[accounts] prod grant ${grant.id}: ${grant.policyArn} read back from ${PROD_ACCOUNT_ID}: ${JSON.stringify(await policyDocumentInAws(grant.policyArn!))}; ` +
      `attached to minji.kim there: ${(await userPolicyArns('minji.kim', PROD_ACCOUNT_ID)).join(', ')}; in ${ACCOUNT_ID} (dev): ` +
      `${JSON.stringify(await policyDocumentInAws(`arn:aws:iam::${ACCOUNT_ID}:policy/gatehouse/gatehouse-grant-${grant.id}`))}, attached there: [${(await userPolicyArns('minji.kim', ACCOUNT_ID)).join(', ')}]`,
  );
  // The request page names the account the grant is in.
  await page.goto(`/requests/${requestId}`);
  await expect(page.getByTestId('aws-account').first()).toContainText(`e2e-prod · ${PROD_ACCOUNT_ID}`);

  // Give-back in the browser: the policy is gone from AWS when the page says Ended.
  await page.getByRole('button', { name: 'Give access back now' }).click();
  await page.getByRole('button', { name: 'Yes, give it back' }).click();
  await expect(page.locator('[data-grant-status]')).toHaveText('Ended');
  expect(await policyDocumentInAws(grant.policyArn!)).toBeNull();
  expect(await userPolicyArns('minji.kim', PROD_ACCOUNT_ID)).not.toContain(grant.policyArn);
});
