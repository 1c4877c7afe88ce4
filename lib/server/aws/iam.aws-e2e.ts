/**
 * Opt-in end-to-end check of the IAM and Secrets Manager adapters against a real AWS API:
 * `npm run test:aws` with AWS_ENDPOINT_URL (LocalStack, moto) or GATEHOUSE_AWS_E2E=1 and credentials
 * for a sandbox account. Everything it creates is named gatehouse-e2e-<random> (policies
 * gatehouse-grant-e2e-<random>) and removed in afterAll, also when a step fails.
 */
import { randomBytes } from 'node:crypto';
import { CreateUserCommand, DeleteUserCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetRandomPasswordCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateGrantPolicy, GRANT_POLICY_PATH, grantPolicyName, type PolicyDocument } from '@/lib/grants/policy';
import type { Principal } from '@/lib/grants/ports';
import { awsClientConfig } from '@/lib/server/aws/clients';
import { createAwsIam } from '@/lib/server/aws/iam';
import { createAwsSecrets } from '@/lib/server/aws/secrets';
import { createAwsAccountIdentity } from '@/lib/server/aws/sts';

// The suite's own on-switch, not portal configuration: env() has no reason to know it.
// eslint-disable-next-line no-restricted-properties -- test-only switch, read once here
const { AWS_ENDPOINT_URL, GATEHOUSE_AWS_E2E } = process.env;
const enabled = Boolean(AWS_ENDPOINT_URL) || GATEHOUSE_AWS_E2E === '1';
if (!enabled) console.info('skipped: set AWS_ENDPOINT_URL (LocalStack, moto) or GATEHOUSE_AWS_E2E=1 with credentials for a sandbox account');

const id = randomBytes(4).toString('hex');
const E2E_NAME = `gatehouse-e2e-${id}`;
/** IAM is eventually consistent: a fresh user or policy can take seconds to be usable everywhere. */
const EVENTUALLY = { timeout: 60_000, interval: 2_000 };

/** Runs a cleanup step; a failure is reported but does not hide the test's own result. */
async function bestEffort(what: string, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (e) {
    console.warn(`[aws-e2e] cleanup: ${what} failed; remove it by hand`, e);
  }
}

describe.skipIf(!enabled)('IAM adapter against AWS', () => {
  // Region (AWS_REGION, else us-east-1), endpoint (AWS_ENDPOINT_URL) and retries as the portal's own clients.
  const config = enabled ? awsClientConfig() : { region: 'us-east-1' };
  const iamClient = new IAMClient(config);
  const accountId = async () => (await createAwsAccountIdentity(new STSClient(config), config.region).describeAccount()).accountId;
  const iam = createAwsIam(iamClient, accountId);

  const policyName = grantPolicyName(`e2e-${id}`);
  let user: Principal | undefined;
  let policyArn: string | undefined;
  let document: PolicyDocument;
  let changed: PolicyDocument;

  beforeAll(async () => {
    const out = await iamClient.send(new CreateUserCommand({ UserName: E2E_NAME, Tags: [{ Key: 'gatehouse:e2e', Value: 'true' }] }));
    if (!out.User?.Arn) throw new Error('CreateUser returned no ARN');
    user = { kind: 'IAM_USER', name: E2E_NAME, arn: out.User.Arn };
    const [, partition, , , account] = out.User.Arn.split(':');
    const target = { type: 'ROLE' as const, roleArn: `arn:${partition}:iam::${account}:role/${E2E_NAME}`, grantId: `e2e-${id}` };
    document = generateGrantPolicy(target, new Date(Date.now() + 3_600_000));
    changed = generateGrantPolicy(target, new Date(Date.now() + 7_200_000));
  });

  afterAll(async () => {
    const created = user;
    if (policyArn) {
      const arn = policyArn;
      if (created) await bestEffort(`detach ${arn}`, () => iam.detachPolicy(created, arn));
      await bestEffort(`delete ${arn}`, () => iam.deletePolicy(arn));
    }
    if (created) await bestEffort(`delete user ${created.name}`, () => iamClient.send(new DeleteUserCommand({ UserName: created.name })));
  });

  /** The policy as listPolicies sees it, once IAM shows `expected` (polls: IAM is eventually consistent). */
  async function expectListed(expected: { document: PolicyDocument; attachedTo: string[] } | undefined): Promise<void> {
    await expect
      .poll(async () => {
        const found = (await iam.listPolicies(GRANT_POLICY_PATH)).find((p) => p.arn === policyArn);
        return found && { document: found.document, attachedTo: found.attachedTo };
      }, EVENTUALLY)
      .toEqual(expected);
  }

  it('creates the policy under /gatehouse/, and ensuring it again changes nothing', async () => {
    policyArn = await iam.ensurePolicy(policyName, document, { 'gatehouse:e2e': 'true' });
    expect(policyArn).toMatch(new RegExp(`^arn:aws[a-z-]*:iam::\\d{12}:policy/gatehouse/${policyName}$`));
    expect(await iam.ensurePolicy(policyName, document, { 'gatehouse:e2e': 'true' })).toBe(policyArn);
    await expectListed({ document, attachedTo: [] });
  });

  it('carries a changed document as the new default version', async () => {
    expect(await iam.ensurePolicy(policyName, changed, { 'gatehouse:e2e': 'true' })).toBe(policyArn);
    await expectListed({ document: changed, attachedTo: [] });
  });

  it('attaches the policy to the user, and listPolicies finds the attachment', async () => {
    // A user created a moment ago may not be visible to AttachUserPolicy yet.
    await vi.waitFor(() => iam.attachPolicy(user!, policyArn!), EVENTUALLY);
    await iam.attachPolicy(user!, policyArn!);
    await expectListed({ document: changed, attachedTo: [user!.arn] });
  });

  it('detaches it, twice without error', async () => {
    await iam.detachPolicy(user!, policyArn!);
    await iam.detachPolicy(user!, policyArn!);
    await expectListed({ document: changed, attachedTo: [] });
  });

  it('deletes it with its versions, twice without error', async () => {
    await iam.deletePolicy(policyArn!);
    await iam.deletePolicy(policyArn!);
    await expectListed(undefined);
    policyArn = undefined;
  });
});

describe.skipIf(!enabled)('Secrets Manager adapter against AWS', () => {
  const sm = new SecretsManagerClient(enabled ? awsClientConfig() : { region: 'us-east-1' });
  const secrets = createAwsSecrets(sm);
  let created: string | undefined;

  afterAll(async () => {
    const arn = created;
    if (arn) await bestEffort(`delete secret ${arn}`, () => sm.send(new DeleteSecretCommand({ SecretId: arn, ForceDeleteWithoutRecovery: true })));
  });

  it('describes a secret it just created, by name, and returns null for one that does not exist', async () => {
    // Test-only: a random throwaway value (the portal itself never handles secret values).
    const { RandomPassword } = await sm.send(new GetRandomPasswordCommand({ PasswordLength: 32, ExcludePunctuation: true }));
    const out = await sm.send(new CreateSecretCommand({ Name: E2E_NAME, SecretString: RandomPassword, Tags: [{ Key: 'gatehouse:e2e', Value: 'true' }] }));
    created = out.ARN;

    expect(await secrets.describeSecret(E2E_NAME)).toEqual({ arn: out.ARN, kmsKeyId: null });
    expect(await secrets.describeSecret(`${E2E_NAME}-missing`)).toBeNull();

    await sm.send(new DeleteSecretCommand({ SecretId: E2E_NAME, ForceDeleteWithoutRecovery: true }));
    created = undefined;
  });
});
