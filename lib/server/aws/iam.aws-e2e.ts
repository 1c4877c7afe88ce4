/**
 * Opt-in end-to-end check of the IAM and Secrets Manager adapters against a real AWS API:
 * `npm run test:aws` with AWS_ENDPOINT_URL (LocalStack, moto) or GATEHOUSE_AWS_E2E=1 and credentials
 * for a sandbox account. Everything it creates is named gatehouse-e2e-<random> (policies
 * gatehouse-grant-e2e-<random>) and removed in afterAll, also when a step fails.
 */
import { randomBytes } from 'node:crypto';
import {
  CreateUserCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DeleteUserCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { CreateSecretCommand, DeleteSecretCommand, GetRandomPasswordCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  generateGrantPolicy,
  GRANT_POLICY_PATH,
  grantPolicyName,
  REVOKED_SESSIONS_POLICY,
  revokeSessionsPolicy,
  teamRoleSpec,
  type PolicyDocument,
} from '@/lib/grants/policy';
import type { Principal, PrincipalRef } from '@/lib/grants/principals';
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
  async function expectListed(expected: { document: PolicyDocument; attachedTo: PrincipalRef[] } | undefined): Promise<void> {
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
    await expectListed({ document: changed, attachedTo: [{ kind: 'IAM_USER', name: E2E_NAME }] });
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

describe.skipIf(!enabled)('team roles against AWS', () => {
  const config = enabled ? awsClientConfig() : { region: 'us-east-1' };
  const iamClient = new IAMClient(config);
  const accountId = async () => (await createAwsAccountIdentity(new STSClient(config), config.region).describeAccount()).accountId;
  const iam = createAwsIam(iamClient, accountId);
  let roleName: string | undefined;

  afterAll(async () => {
    const name = roleName;
    if (!name) return;
    await bestEffort(`delete role ${name}`, async () => {
      const inline = await iamClient.send(new ListRolePoliciesCommand({ RoleName: name }));
      for (const PolicyName of inline.PolicyNames ?? []) await iamClient.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName }));
      await iamClient.send(new DeleteRoleCommand({ RoleName: name }));
    });
  });

  it("materialises a team role, twice without error, and cuts one grant's sessions", async () => {
    const account = await accountId();
    const partition = (await iamClient.config.region()).startsWith('cn-') ? 'aws-cn' : 'aws';
    const spec = teamRoleSpec({
      partition,
      accountId: account,
      team: `e2e${id}`,
      environment: 'DEV',
      function: 'read-only',
      description: 'aws-e2e',
      permissions: [{ actions: ['logs:GetLogEvents'], resources: [`arn:${partition}:logs:*:${account}:log-group:gatehouse-e2e-${id}:*`] }],
    });
    roleName = spec.name;
    expect(await iam.ensureRole(spec)).toBe(spec.arn);
    expect(await iam.ensureRole(spec)).toBe(spec.arn);
    const role = (await iamClient.send(new GetRoleCommand({ RoleName: spec.name }))).Role!;
    expect(role).toMatchObject({ Path: '/gatehouse/roles/', MaxSessionDuration: 3600 });
    expect(JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!))).toEqual(spec.trustPolicy);

    const cut = new Date();
    await iam.updateRoleInlinePolicy(spec.name, REVOKED_SESSIONS_POLICY, (current) => revokeSessionsPolicy(current, 'e2egrant1', cut, cut));
    const stored = await iamClient.send(new GetRolePolicyCommand({ RoleName: spec.name, PolicyName: REVOKED_SESSIONS_POLICY }));
    expect(JSON.parse(decodeURIComponent(stored.PolicyDocument!))).toEqual(revokeSessionsPolicy(null, 'e2egrant1', cut, cut));
    await iam.updateRoleInlinePolicy(spec.name, REVOKED_SESSIONS_POLICY, () => null);
    await expect(iamClient.send(new GetRolePolicyCommand({ RoleName: spec.name, PolicyName: REVOKED_SESSIONS_POLICY }))).rejects.toMatchObject({
      name: expect.stringMatching(/NoSuchEntity/),
    });
  });
});

describe.skipIf(!enabled)('secret registration against AWS', () => {
  const sm = new SecretsManagerClient(enabled ? awsClientConfig() : { region: 'us-east-1' });
  const secrets = createAwsSecrets(sm);
  const name = `${E2E_NAME}-registered`;
  let created: string | undefined;

  afterAll(async () => {
    const arn = created;
    if (arn) await bestEffort(`delete secret ${arn}`, () => sm.send(new DeleteSecretCommand({ SecretId: arn, ForceDeleteWithoutRecovery: true })));
  });

  it('creates the secret once per grant, finds it again on a retry, and refuses it to another grant', async () => {
    const first = await secrets.createSecret({ name, description: 'aws-e2e', tags: { 'gatehouse:e2e': 'true' }, idempotencyKey: `e2e-${id}` });
    created = first.arn;
    expect(first.arn).toMatch(new RegExp(`:secret:${name}-[A-Za-z0-9]{6}$`));
    expect(await secrets.createSecret({ name, description: 'aws-e2e', tags: { 'gatehouse:e2e': 'true' }, idempotencyKey: `e2e-${id}` })).toEqual(first);
    await expect(secrets.createSecret({ name, description: 'aws-e2e', tags: {}, idempotencyKey: 'someone-else' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
