// Proves the secrets baseline with an independent IAM evaluator (@cloud-copilot/iam-simulate), as
// lib/grants/policy.proof.test.ts does for grants: AGPL, tests only (docs/decisions/009-iam-policy-proof.md).
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '@/lib/grants/policy';
import { generateBaselinePolicy } from '@/lib/iam-audit/baseline';

const ACCOUNT = '123456789012';
const PRINCIPAL = `arn:aws:iam::${ACCOUNT}:user/minji.kim`;
const SECRETS = [
  'arn:aws:secretsmanager:eu-central-1:123456789012:secret:prod/payments/stripe-api-key-AbCdEf',
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:dev/data/warehouse-readonly-XyZ123',
];
const KEY = 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ALLOW_EVERYTHING: PolicyDocument = { Version: '2012-10-17', Statement: [{ Sid: 'Control', Effect: 'Allow', Action: ['*'], Resource: ['*'] }] };

/** Every Secrets Manager action (iam-data 0.21); those without a resource type take `*`. */
const SECRETS_MANAGER_ACTIONS = [
  'BatchGetSecretValue',
  'CancelRotateSecret',
  'CreateSecret',
  'DeleteResourcePolicy',
  'DeleteSecret',
  'DescribeSecret',
  'GetRandomPassword',
  'GetResourcePolicy',
  'GetSecretValue',
  'ListSecretVersionIds',
  'ListSecrets',
  'PutResourcePolicy',
  'PutSecretValue',
  'RemoveRegionsFromReplication',
  'ReplicateSecretToRegions',
  'RestoreSecret',
  'RotateSecret',
  'StopReplicationToReplica',
  'TagResource',
  'UntagResource',
  'UpdateSecret',
  'UpdateSecretVersionStage',
  'ValidateResourcePolicy',
].map((a) => `secretsmanager:${a}`);
const WILDCARD_ONLY = new Set(['secretsmanager:BatchGetSecretValue', 'secretsmanager:GetRandomPassword', 'secretsmanager:ListSecrets']);

async function evaluate(policy: PolicyDocument, action: string, resource: string): Promise<string> {
  const simulation: Simulation = {
    request: { principal: PRINCIPAL, action, resource: { resource, accountId: ACCOUNT }, contextVariables: { 'aws:CurrentTime': '2026-11-29T10:00:00.000Z' } },
    identityPolicies: [{ name: 'baseline', policy }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  };
  const response = await runSimulation(simulation, { simulationMode: 'Strict' });
  if (response.resultType === 'error') throw new Error(`${action} on ${resource}: ${JSON.stringify(response.errors)}`);
  if (response.resultType !== 'single') throw new Error(`${action} on ${resource}: evaluated as a ${response.resultType} request`);
  return response.overallResult;
}

describe('the secrets baseline, as an IAM evaluator reads it', () => {
  const policy = generateBaselinePolicy('aws', ACCOUNT);

  it('allows ListSecrets and DescribeSecret on any of the account’s secrets, in any region', async () => {
    expect(await evaluate(policy, 'secretsmanager:ListSecrets', '*')).toBe('Allowed');
    for (const secret of SECRETS) expect(await evaluate(policy, 'secretsmanager:DescribeSecret', secret), secret).toBe('Allowed');
  });

  it('denies GetSecretValue, PutSecretValue, DeleteSecret and every other Secrets Manager action', async () => {
    for (const action of SECRETS_MANAGER_ACTIONS) {
      if (action === 'secretsmanager:ListSecrets' || action === 'secretsmanager:DescribeSecret') continue;
      for (const resource of WILDCARD_ONLY.has(action) ? ['*'] : SECRETS) {
        // The control proves the request is one AWS would otherwise allow: the denial is the baseline's.
        expect(await evaluate(ALLOW_EVERYTHING, action, resource), `control: ${action}`).toBe('Allowed');
        expect(await evaluate(policy, action, resource), `${action} on ${resource}`).toBe('ImplicitlyDenied');
      }
    }
  });

  it('names the three the issue insists on explicitly (values are never readable or writable)', async () => {
    for (const action of ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:DeleteSecret']) {
      expect(await evaluate(policy, action, SECRETS[0]!)).toBe('ImplicitlyDenied');
    }
  });

  it('reaches nothing outside Secrets Manager (KMS decrypt, IAM)', async () => {
    expect(await evaluate(policy, 'kms:Decrypt', KEY)).toBe('ImplicitlyDenied');
    expect(await evaluate(policy, 'iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/admin`)).toBe('ImplicitlyDenied');
  });
});
