// Proves the generated grant policies with an independent IAM evaluator (@cloud-copilot/iam-simulate):
// the policy is read the way AWS reads it, not the way policy.ts meant it. AGPL-licensed, so it stays
// a devDependency used by tests only (docs/decisions/009-iam-policy-proof.md).
import { allowedContextKeysForRequest, runSimulation, type EvaluationResult, type Simulation } from '@cloud-copilot/iam-simulate';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  generateGrantPolicy,
  grantPolicyName,
  revokeSessionsPolicy,
  secretArnPattern,
  summarizePolicy,
  teamRoleName,
  teamRoleSpec,
  type GrantTarget,
  type PolicyDocument,
} from '@/lib/grants/policy';

const ACCOUNT = '123456789012';
const SECRET = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:prod/payments/stripe-api-key-AbCdEf';
const SIBLING_SECRET = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:prod/payments/db-app-password-XyZ123';
const STAGING_SECRET = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:staging/payments/stripe-api-key-QwErTy';
const KEY = 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER_KEY = 'arn:aws:kms:eu-central-1:123456789012:key/9876fedc-98fe-76dc-54ba-0987654321fe';
const ROLE = 'arn:aws:iam::123456789012:role/gatehouse/payments-prod-on-call';
const OTHER_ROLE = 'arn:aws:iam::123456789012:role/gatehouse/billing-prod-on-call';

const ENDS_AT = new Date('2026-11-29T17:00:00Z');
const UNTIL = '2026-11-29T17:00:00.000Z';
const BEFORE = new Date('2026-11-29T09:00:00Z');
const JUST_BEFORE = new Date(ENDS_AT.getTime() - 1);
const AFTER = new Date('2026-11-29T17:00:01Z');

const VIA_SECRETS_MANAGER = { 'kms:ViaService': 'secretsmanager.eu-central-1.amazonaws.com' };

/** A grant attaches to an IAM user or to a role; a role acts through its assumed-role sessions. */
const PRINCIPALS = [`arn:aws:iam::${ACCOUNT}:user/alice`, `arn:aws:sts::${ACCOUNT}:assumed-role/alice-workstation/alice`];
const PRINCIPAL = PRINCIPALS[0]!;

// KMS and STS read the resource's own policy first. These are the setups Gatehouse relies on: a
// customer managed key with AWS's default key policy, and a team role whose trust policy trusts the
// account; both leave the decision to IAM policies such as the grant's.
const DEFAULT_KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }],
};
// The team role's trust policy as Gatehouse writes it (teamRoleSpec), plus SetSourceIdentity so
// that the control shows the grant is what refuses it.
const TEAM_ROLE_TRUST_POLICY = {
  Version: '2012-10-17',
  Statement: [
    ...teamRoleSpec({
      partition: 'aws',
      accountId: ACCOUNT,
      team: 't',
      environment: 'PROD',
      function: 'f',
      description: '',
      permissions: [{ actions: ['s3:GetObject'], resources: ['*'] }],
    }).trustPolicy.Statement,
    { Sid: 'Control', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: ['sts:SetSourceIdentity'] },
  ],
};

/** The control: a request it does not allow would be denied for a reason other than the grant. */
const ALLOW_EVERYTHING: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'Control', Effect: 'Allow', Action: ['*'], Resource: ['*'] }],
};

interface Request {
  action: string;
  resource: string;
  at: Date;
  context?: Record<string, string | string[]>;
  principal?: string;
}

function describeRequest(r: Request): string {
  return `${r.action} on ${r.resource} at ${r.at.toISOString()} ${JSON.stringify(r.context ?? {})} by ${r.principal ?? PRINCIPAL}`;
}

/**
 * Evaluates `request` against `policy` attached to the principal (null: no policy at all), with the
 * resource's own policy where its service reads one. Throws when the evaluator could not judge the
 * request as asked, so that a mistyped action, resource or context key fails instead of passing as a deny.
 */
async function evaluate(policy: PolicyDocument | null, request: Request): Promise<EvaluationResult> {
  // The evaluator reads a Resource with fewer than six ARN segments as a prefix padded with `*`
  // (so `not-an-arn` matches everything): it cannot be the judge of malformed resources.
  for (const resource of policy?.Statement.flatMap((s) => s.Resource) ?? []) {
    if (resource !== '*' && !/^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+$/.test(resource)) throw new Error(`not a full ARN: ${resource}`);
  }
  const resourcePolicy = request.resource.startsWith('arn:aws:kms:')
    ? DEFAULT_KEY_POLICY
    : request.action.startsWith('sts:') && request.resource.startsWith('arn:aws:iam:')
      ? TEAM_ROLE_TRUST_POLICY
      : undefined;
  const simulation: Simulation = {
    request: {
      principal: request.principal ?? PRINCIPAL,
      action: request.action,
      resource: { resource: request.resource, accountId: ACCOUNT },
      contextVariables: { 'aws:CurrentTime': request.at.toISOString(), ...request.context },
    },
    identityPolicies: policy ? [{ name: 'grant', policy }] : [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(resourcePolicy ? { resourcePolicy } : {}),
  };
  const response = await runSimulation(simulation, { simulationMode: 'Strict' });
  if (response.resultType === 'error') throw new Error(`${describeRequest(request)}: ${JSON.stringify(response.errors)}`);
  // A wildcard result answers "is some matching resource allowed?", not the question asked here.
  if (response.resultType !== 'single') throw new Error(`${describeRequest(request)}: evaluated as a ${response.resultType} request`);
  const ignored = response.result.ignoredContextKeys ?? [];
  if (ignored.length) throw new Error(`${describeRequest(request)}: context keys ignored by the evaluator: ${ignored.join(', ')}`);
  return response.overallResult;
}

async function expectAllowed(policy: PolicyDocument, request: Request): Promise<void> {
  expect(await evaluate(policy, request), describeRequest(request)).toBe('Allowed');
}

/** Denied by the grant, while the control shows the same request is one AWS would otherwise allow. */
async function expectDenied(policy: PolicyDocument, request: Request): Promise<void> {
  expect(await evaluate(ALLOW_EVERYTHING, request), `control: ${describeRequest(request)}`).toBe('Allowed');
  expect(await evaluate(policy, request), describeRequest(request)).toBe('ImplicitlyDenied');
}

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
const SECRETS_MANAGER_WILDCARD_ONLY = new Set(['secretsmanager:BatchGetSecretValue', 'secretsmanager:GetRandomPassword', 'secretsmanager:ListSecrets']);

/** Every KMS action on a key (iam-data 0.21), alias and custom-key-store actions aside. */
const KMS_KEY_ACTIONS = [
  'CancelKeyDeletion',
  'CreateGrant',
  'Decrypt',
  'DeleteImportedKeyMaterial',
  'DeriveSharedSecret',
  'DescribeKey',
  'DisableKey',
  'DisableKeyRotation',
  'EnableKey',
  'EnableKeyRotation',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateMac',
  'GetKeyPolicy',
  'GetKeyRotationStatus',
  'GetParametersForImport',
  'GetPublicKey',
  'ImportKeyMaterial',
  'ListGrants',
  'ListKeyPolicies',
  'ListKeyRotations',
  'ListResourceTags',
  'PutKeyPolicy',
  'ReEncryptFrom',
  'ReEncryptTo',
  'ReplicateKey',
  'RetireGrant',
  'RevokeGrant',
  'RotateKeyOnDemand',
  'ScheduleKeyDeletion',
  'Sign',
  'SynchronizeMultiRegionKey',
  'TagResource',
  'UntagResource',
  'UpdateKeyDescription',
  'UpdatePrimaryRegion',
  'Verify',
  'VerifyMac',
].map((a) => `kms:${a}`);

/** Each Secrets Manager action asked of `secret` before the end: allowed exactly when it is in `granted`. */
async function expectExactlySecretsManager(policy: PolicyDocument, secret: string, granted: string[]): Promise<void> {
  for (const action of SECRETS_MANAGER_ACTIONS) {
    const request = { action, resource: SECRETS_MANAGER_WILDCARD_ONLY.has(action) ? '*' : secret, at: BEFORE };
    if (granted.includes(action)) await expectAllowed(policy, request);
    else await expectDenied(policy, request);
  }
}

describe('SECRET_READ with a customer managed key', () => {
  const target: GrantTarget = { type: 'SECRET_READ', secretArn: SECRET, kmsKeyArn: KEY };
  const policy = generateGrantPolicy(target, ENDS_AT);

  it('is exactly this policy', () => {
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ReadOneSecret',
          Effect: 'Allow',
          Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
          Resource: ['arn:aws:secretsmanager:eu-central-1:123456789012:secret:prod/payments/stripe-api-key-AbCdEf'],
          Condition: { DateLessThan: { 'aws:CurrentTime': '2026-11-29T17:00:00.000Z' } },
        },
        {
          Sid: 'DecryptThroughSecretsManagerOnly',
          Effect: 'Allow',
          Action: ['kms:Decrypt'],
          Resource: ['arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
          Condition: {
            DateLessThan: { 'aws:CurrentTime': '2026-11-29T17:00:00.000Z' },
            StringEquals: { 'kms:ViaService': 'secretsmanager.eu-central-1.amazonaws.com' },
          },
        },
      ],
    });
  });

  it('grants nothing by itself: without the policy, the key policy and the account allow none of it', async () => {
    for (const request of [
      { action: 'secretsmanager:GetSecretValue', resource: SECRET, at: BEFORE },
      { action: 'secretsmanager:DescribeSecret', resource: SECRET, at: BEFORE },
      { action: 'kms:Decrypt', resource: KEY, at: BEFORE, context: VIA_SECRETS_MANAGER },
    ]) {
      expect(await evaluate(null, request), describeRequest(request)).toBe('ImplicitlyDenied');
    }
  });

  it('allows DescribeSecret, GetSecretValue and Decrypt through Secrets Manager until just before endsAt, to a user or a role', async () => {
    for (const principal of PRINCIPALS) {
      for (const at of [BEFORE, JUST_BEFORE]) {
        await expectAllowed(policy, { action: 'secretsmanager:DescribeSecret', resource: SECRET, at, principal });
        await expectAllowed(policy, { action: 'secretsmanager:GetSecretValue', resource: SECRET, at, principal });
        await expectAllowed(policy, { action: 'kms:Decrypt', resource: KEY, at, principal, context: VIA_SECRETS_MANAGER });
      }
    }
  });

  it('allows nothing from endsAt on', async () => {
    for (const at of [ENDS_AT, AFTER]) {
      await expectDenied(policy, { action: 'secretsmanager:GetSecretValue', resource: SECRET, at });
      await expectDenied(policy, { action: 'secretsmanager:DescribeSecret', resource: SECRET, at });
      await expectDenied(policy, { action: 'kms:Decrypt', resource: KEY, at, context: VIA_SECRETS_MANAGER });
    }
  });

  it("does not reach the team's other secrets, nor the same secret in another environment", async () => {
    for (const resource of [SIBLING_SECRET, STAGING_SECRET]) {
      await expectDenied(policy, { action: 'secretsmanager:GetSecretValue', resource, at: BEFORE });
      await expectDenied(policy, { action: 'secretsmanager:DescribeSecret', resource, at: BEFORE });
    }
  });

  it('allows no other Secrets Manager action (writes, ListSecrets on *, batch reads)', async () => {
    await expectExactlySecretsManager(policy, SECRET, ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
  });

  it("allows kms:Decrypt only through Secrets Manager in the secret's region, and only on its key", async () => {
    await expectDenied(policy, { action: 'kms:Decrypt', resource: KEY, at: BEFORE });
    await expectDenied(policy, { action: 'kms:Decrypt', resource: KEY, at: BEFORE, context: { 'kms:ViaService': 's3.eu-central-1.amazonaws.com' } });
    await expectDenied(policy, { action: 'kms:Decrypt', resource: KEY, at: BEFORE, context: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } });
    await expectDenied(policy, { action: 'kms:Decrypt', resource: OTHER_KEY, at: BEFORE, context: VIA_SECRETS_MANAGER });
  });

  it('allows no other KMS action on the key, even through Secrets Manager', async () => {
    for (const action of KMS_KEY_ACTIONS.filter((a) => a !== 'kms:Decrypt')) {
      // A few key actions (SynchronizeMultiRegionKey, ...) have no kms:ViaService key: AWS never sets it for them.
      const [service = '', name = ''] = action.split(':');
      const hasViaService = (await allowedContextKeysForRequest(service, name, KEY, false, undefined)).includes('kms:viaservice');
      await expectDenied(policy, { action, resource: KEY, at: BEFORE, ...(hasViaService ? { context: VIA_SECRETS_MANAGER } : {}) });
    }
  });
});

describe('SECRET_READ without a customer managed key', () => {
  const policy = generateGrantPolicy({ type: 'SECRET_READ', secretArn: SECRET, kmsKeyArn: null }, ENDS_AT);

  it('is exactly this policy', () => {
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ReadOneSecret',
          Effect: 'Allow',
          Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
          Resource: ['arn:aws:secretsmanager:eu-central-1:123456789012:secret:prod/payments/stripe-api-key-AbCdEf'],
          Condition: { DateLessThan: { 'aws:CurrentTime': '2026-11-29T17:00:00.000Z' } },
        },
      ],
    });
  });

  it('reads the secret until endsAt and allows no KMS use at all', async () => {
    await expectAllowed(policy, { action: 'secretsmanager:GetSecretValue', resource: SECRET, at: BEFORE });
    await expectDenied(policy, { action: 'secretsmanager:GetSecretValue', resource: SECRET, at: AFTER });
    await expectDenied(policy, { action: 'kms:Decrypt', resource: KEY, at: BEFORE, context: VIA_SECRETS_MANAGER });
  });
});

describe('SECRET_REGISTER', () => {
  const policy = generateGrantPolicy({ type: 'SECRET_REGISTER', secretArn: SECRET }, ENDS_AT);

  it('is exactly this policy', () => {
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'SetTheNewSecretsValue',
          Effect: 'Allow',
          Action: ['secretsmanager:DescribeSecret', 'secretsmanager:PutSecretValue'],
          Resource: ['arn:aws:secretsmanager:eu-central-1:123456789012:secret:prod/payments/stripe-api-key-AbCdEf'],
          Condition: { DateLessThan: { 'aws:CurrentTime': '2026-11-29T17:00:00.000Z' } },
        },
      ],
    });
  });

  it('allows DescribeSecret and PutSecretValue on the secret until just before endsAt, to a user or a role', async () => {
    for (const principal of PRINCIPALS) {
      for (const at of [BEFORE, JUST_BEFORE]) {
        await expectAllowed(policy, { action: 'secretsmanager:DescribeSecret', resource: SECRET, at, principal });
        await expectAllowed(policy, { action: 'secretsmanager:PutSecretValue', resource: SECRET, at, principal });
      }
    }
    expect(await evaluate(null, { action: 'secretsmanager:PutSecretValue', resource: SECRET, at: BEFORE })).toBe('ImplicitlyDenied');
  });

  it('allows nothing from endsAt on', async () => {
    for (const at of [ENDS_AT, AFTER]) {
      await expectDenied(policy, { action: 'secretsmanager:PutSecretValue', resource: SECRET, at });
      await expectDenied(policy, { action: 'secretsmanager:DescribeSecret', resource: SECRET, at });
    }
  });

  it("does not reach the team's other secrets, nor the same secret in another environment", async () => {
    for (const resource of [SIBLING_SECRET, STAGING_SECRET]) {
      await expectDenied(policy, { action: 'secretsmanager:PutSecretValue', resource, at: BEFORE });
      await expectDenied(policy, { action: 'secretsmanager:DescribeSecret', resource, at: BEFORE });
    }
  });

  it('allows no other Secrets Manager action: no reading the value back, no delete, no ListSecrets', async () => {
    await expectExactlySecretsManager(policy, SECRET, ['secretsmanager:DescribeSecret', 'secretsmanager:PutSecretValue']);
  });
});

describe('ROLE', () => {
  const GRANT = 'cm4grant0001';
  const policy = generateGrantPolicy({ type: 'ROLE', roleArn: ROLE, grantId: GRANT }, ENDS_AT);
  const tagged = (grantId: string, keys = ['gatehouse-grant']) => ({ 'aws:RequestTag/gatehouse-grant': grantId, 'aws:TagKeys': keys });

  it('is exactly this policy', () => {
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AssumeOneTeamRole',
          Effect: 'Allow',
          Action: ['sts:AssumeRole'],
          Resource: ['arn:aws:iam::123456789012:role/gatehouse/payments-prod-on-call'],
          Condition: { DateLessThan: { 'aws:CurrentTime': '2026-11-29T17:00:00.000Z' } },
        },
        {
          Sid: 'TagTheSessionWithThisGrant',
          Effect: 'Allow',
          Action: ['sts:TagSession'],
          Resource: ['arn:aws:iam::123456789012:role/gatehouse/payments-prod-on-call'],
          Condition: {
            DateLessThan: { 'aws:CurrentTime': '2026-11-29T17:00:00.000Z' },
            StringEquals: { 'aws:RequestTag/gatehouse-grant': 'cm4grant0001' },
            'ForAllValues:StringEquals': { 'aws:TagKeys': ['gatehouse-grant'] },
          },
        },
      ],
    });
  });

  it('allows sts:AssumeRole with the grant tag until just before endsAt, and the trust policy alone does not', async () => {
    for (const principal of PRINCIPALS) {
      for (const at of [BEFORE, JUST_BEFORE]) {
        await expectAllowed(policy, { action: 'sts:AssumeRole', resource: ROLE, at, principal, context: tagged(GRANT) });
        await expectAllowed(policy, { action: 'sts:TagSession', resource: ROLE, at, principal, context: tagged(GRANT) });
      }
    }
    expect(await evaluate(null, { action: 'sts:AssumeRole', resource: ROLE, at: BEFORE, context: tagged(GRANT) })).toBe('ImplicitlyDenied');
  });

  it('the team role trusts no session without a grant tag', async () => {
    expect(await evaluate(policy, { action: 'sts:AssumeRole', resource: ROLE, at: BEFORE })).toBe('ImplicitlyDenied');
  });

  it('tags the session with its own grant only, and no other tag', async () => {
    await expectDenied(policy, { action: 'sts:TagSession', resource: ROLE, at: BEFORE, context: tagged('cm4grant0002') });
    await expectDenied(policy, {
      action: 'sts:TagSession',
      resource: ROLE,
      at: BEFORE,
      context: { ...tagged(GRANT, ['gatehouse-grant', 'team']), 'aws:RequestTag/team': 'payments' },
    });
  });

  it('allows nothing from endsAt on', async () => {
    for (const at of [ENDS_AT, AFTER]) {
      await expectDenied(policy, { action: 'sts:AssumeRole', resource: ROLE, at, context: tagged(GRANT) });
      await expectDenied(policy, { action: 'sts:TagSession', resource: ROLE, at, context: tagged(GRANT) });
    }
  });

  it('does not assume another role, pass the role, or set a source identity', async () => {
    // The team's other role in the same environment, and the same role in another environment.
    for (const other of [
      OTHER_ROLE,
      'arn:aws:iam::123456789012:role/gatehouse/payments-prod-deployer',
      'arn:aws:iam::123456789012:role/gatehouse/payments-staging-on-call',
    ]) {
      await expectDenied(policy, { action: 'sts:AssumeRole', resource: other, at: BEFORE, context: tagged(GRANT) });
    }
    await expectDenied(policy, { action: 'sts:TagSession', resource: OTHER_ROLE, at: BEFORE, context: tagged(GRANT) });
    await expectDenied(policy, { action: 'iam:PassRole', resource: ROLE, at: BEFORE });
    await expectDenied(policy, { action: 'sts:SetSourceIdentity', resource: ROLE, at: BEFORE });
  });
});

describe('the team role and the end of its sessions', () => {
  const spec = teamRoleSpec({
    partition: 'aws',
    accountId: ACCOUNT,
    team: 'payments',
    environment: 'PROD',
    function: 'on-call',
    description: 'Restart and inspect prod services',
    permissions: [{ actions: ['lambda:GetFunction', 'logs:GetLogEvents'], resources: ['arn:aws:lambda:eu-central-1:123456789012:function:prod-payments-*'] }],
  });
  const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/${spec.name}/alice`;
  const FUNCTION = 'arn:aws:lambda:eu-central-1:123456789012:function:prod-payments-api';
  const CUT = new Date('2026-11-29T12:00:00Z');

  /** A request made by a session of the team role, evaluated against the role's own inline policies. */
  async function asSession(policies: PolicyDocument[], session: { grant: string; issuedAt: Date }, at: Date) {
    const response = await runSimulation(
      {
        request: {
          principal: SESSION,
          action: 'lambda:GetFunction',
          resource: { resource: FUNCTION, accountId: ACCOUNT },
          contextVariables: {
            'aws:CurrentTime': at.toISOString(),
            'aws:PrincipalTag/gatehouse-grant': session.grant,
            'aws:TokenIssueTime': session.issuedAt.toISOString(),
          },
        },
        identityPolicies: policies.map((policy, i) => ({ name: `inline-${i}`, policy })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      },
      { simulationMode: 'Strict' },
    );
    if (response.resultType !== 'single') throw new Error(JSON.stringify(response));
    return response.overallResult;
  }

  it('is named after team, environment and function, under /gatehouse/roles/, with one-hour sessions', () => {
    expect(spec).toMatchObject({
      name: 'gatehouse-payments-prod-on-call',
      path: '/gatehouse/roles/',
      arn: `arn:aws:iam::${ACCOUNT}:role/gatehouse/roles/gatehouse-payments-prod-on-call`,
      maxSessionSeconds: 3600,
    });
    expect(teamRoleName('a-team-with-a-very-long-name-indeed', 'STAGING', 'read-only-and-then-some-more')).toHaveLength(64);
  });

  it('trusts the account only for sessions tagged with a grant', () => {
    expect(spec.trustPolicy.Statement.map((s) => [s.Action, s.Principal.AWS, s.Condition])).toEqual([
      [['sts:AssumeRole'], `arn:aws:iam::${ACCOUNT}:root`, { Null: { 'aws:RequestTag/gatehouse-grant': 'false' } }],
      [['sts:TagSession'], `arn:aws:iam::${ACCOUNT}:root`, { Null: { 'aws:RequestTag/gatehouse-grant': 'false' } }],
    ]);
  });

  it("cuts the ended grant's sessions issued before the cut, and nobody else's", async () => {
    const revoked = revokeSessionsPolicy(null, 'cm4grantA', CUT, CUT)!;
    const at = new Date(CUT.getTime() + 60_000);
    expect(await asSession([spec.permissions], { grant: 'cm4grantA', issuedAt: new Date(CUT.getTime() - 600_000) }, at)).toBe('Allowed');
    expect(await asSession([spec.permissions, revoked], { grant: 'cm4grantA', issuedAt: new Date(CUT.getTime() - 600_000) }, at)).toBe('ExplicitlyDenied');
    expect(await asSession([spec.permissions, revoked], { grant: 'cm4grantB', issuedAt: new Date(CUT.getTime() - 600_000) }, at)).toBe('Allowed');
    // A later grant of the same person carries another id.
    expect(await asSession([spec.permissions, revoked], { grant: 'cm4grantC', issuedAt: new Date(CUT.getTime() + 30_000) }, at)).toBe('Allowed');
  });

  it('keeps one statement per ended grant, replaces a repeated one, and drops those older than any session', () => {
    const first = revokeSessionsPolicy(null, 'cm4grantA', CUT, CUT)!;
    const second = revokeSessionsPolicy(first, 'cm4grantB', new Date(CUT.getTime() + 60_000), CUT)!;
    expect(second.Statement.map((s) => s.Sid)).toEqual(['Revokecm4grantA', 'Revokecm4grantB']);
    expect(revokeSessionsPolicy(second, 'cm4grantA', new Date(CUT.getTime() + 120_000), CUT)!.Statement.map((s) => s.Sid)).toEqual([
      'Revokecm4grantB',
      'Revokecm4grantA',
    ]);
    const muchLater = new Date(CUT.getTime() + 13 * 3_600_000);
    expect(revokeSessionsPolicy(second, 'cm4grantC', muchLater, muchLater)!.Statement.map((s) => s.Sid)).toEqual(['Revokecm4grantC']);
    expect(revokeSessionsPolicy(second, 'cm4grantC', CUT, muchLater)).toBeNull();
  });
});

describe('SECRET_REGISTER before the secret exists', () => {
  it('names the ARN pattern of exactly the new name', async () => {
    const pattern = secretArnPattern('aws', 'eu-central-1', ACCOUNT, 'prod/payments/new-key');
    const policy = generateGrantPolicy({ type: 'SECRET_REGISTER', secretArn: pattern }, ENDS_AT);
    await expectAllowed(policy, {
      action: 'secretsmanager:PutSecretValue',
      resource: `arn:aws:secretsmanager:eu-central-1:${ACCOUNT}:secret:prod/payments/new-key-AbCdEf`,
      at: BEFORE,
    });
    for (const other of ['prod/payments/new-key-2-AbCdEf', 'prod/payments/new-AbCdEf', 'staging/payments/new-key-AbCdEf']) {
      await expectDenied(policy, {
        action: 'secretsmanager:PutSecretValue',
        resource: `arn:aws:secretsmanager:eu-central-1:${ACCOUNT}:secret:${other}`,
        at: BEFORE,
      });
    }
  });
});

describe('generateGrantPolicy refuses what is not an exact ARN of the right kind', () => {
  it.each<[string, GrantTarget]>([
    ['SECRET_READ, a secret name', { type: 'SECRET_READ', secretArn: 'prod/payments/stripe-api-key' }],
    ['SECRET_READ, a wildcard', { type: 'SECRET_READ', secretArn: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:prod/payments/*' }],
    ['SECRET_READ, a KMS key as the secret', { type: 'SECRET_READ', secretArn: KEY }],
    ['SECRET_READ, a key alias', { type: 'SECRET_READ', secretArn: SECRET, kmsKeyArn: 'arn:aws:kms:eu-central-1:123456789012:alias/payments' }],
    ['SECRET_READ, a key id without ARN', { type: 'SECRET_READ', secretArn: SECRET, kmsKeyArn: '1234abcd-12ab-34cd-56ef-1234567890ab' }],
    ['SECRET_REGISTER, a short account id', { type: 'SECRET_REGISTER', secretArn: 'arn:aws:secretsmanager:eu-central-1:12345:secret:prod/payments/x-AbCdEf' }],
    ['SECRET_REGISTER, a wildcard', { type: 'SECRET_REGISTER', secretArn: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:*' }],
    ['ROLE, a user', { type: 'ROLE', roleArn: 'arn:aws:iam::123456789012:user/alice', grantId: 'g1' }],
    ['ROLE, a wildcard', { type: 'ROLE', roleArn: 'arn:aws:iam::123456789012:role/gatehouse/*', grantId: 'g1' }],
    ['ROLE, an empty string', { type: 'ROLE', roleArn: '', grantId: 'g1' }],
    ['ROLE, a grant id with a wildcard', { type: 'ROLE', roleArn: ROLE, grantId: 'g*' }],
    ['SECRET_READ, a pattern', { type: 'SECRET_READ', secretArn: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:prod/payments/x-??????' }],
  ])('%s', (_, target) => {
    expect(() => generateGrantPolicy(target, ENDS_AT)).toThrow(/^not an? /);
  });
});

describe('summarizePolicy', () => {
  it('reads back the actions, resources, end and KMS route of a secret read', () => {
    expect(summarizePolicy(generateGrantPolicy({ type: 'SECRET_READ', secretArn: SECRET, kmsKeyArn: KEY }, ENDS_AT))).toEqual({
      allows: [
        { actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'], resource: SECRET },
        { actions: ['kms:Decrypt'], resource: KEY },
      ],
      until: UNTIL,
      viaService: 'secretsmanager.eu-central-1.amazonaws.com',
      notAllowed: ['change', 'delete', 'other-resources', 'list', 'after-expiry'],
    });
  });

  it('reads back a secret registration, which may change the value', () => {
    expect(summarizePolicy(generateGrantPolicy({ type: 'SECRET_REGISTER', secretArn: SECRET }, ENDS_AT))).toEqual({
      allows: [{ actions: ['secretsmanager:DescribeSecret', 'secretsmanager:PutSecretValue'], resource: SECRET }],
      until: UNTIL,
      viaService: null,
      notAllowed: ['delete', 'other-resources', 'list', 'after-expiry'],
    });
  });

  it('reads back a role', () => {
    expect(summarizePolicy(generateGrantPolicy({ type: 'ROLE', roleArn: ROLE, grantId: 'g1' }, ENDS_AT))).toEqual({
      allows: [
        { actions: ['sts:AssumeRole'], resource: ROLE },
        { actions: ['sts:TagSession'], resource: ROLE },
      ],
      until: UNTIL,
      viaService: null,
      notAllowed: ['change', 'delete', 'other-resources', 'list', 'after-expiry'],
    });
  });
});

describe('grantPolicyName', () => {
  it('names the policy after its grant, under the Gatehouse prefix', () => {
    expect(grantPolicyName('cm4x7a2b0000')).toBe('gatehouse-grant-cm4x7a2b0000');
  });
});

describe('property: a secret read grant opens its own secret, before its end, and nothing else', () => {
  const secretName = fc.record({
    env: fc.constantFrom('prod', 'staging', 'dev', 'sandbox'),
    team: fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/),
    name: fc.stringMatching(/^[a-z0-9][a-zA-Z0-9_+=.@-]{0,40}$/),
    suffix: fc.stringMatching(/^[A-Za-z0-9]{6}$/),
  });
  type SecretName = typeof secretName extends fc.Arbitrary<infer T> ? T : never;
  const arnOf = ({ env, team, name, suffix }: SecretName) => `arn:aws:secretsmanager:eu-central-1:${ACCOUNT}:secret:${env}/${team}/${name}-${suffix}`;
  // The other secret keeps any mix of the granted one's parts: a sibling of the team, the same name
  // in another environment, or nothing in common.
  const keep = fc.record({ env: fc.boolean(), team: fc.boolean(), name: fc.boolean(), suffix: fc.boolean() });
  const DAY = 24 * 60 * 60 * 1000;

  it('allows GetSecretValue on its own ARN before endsAt, never on another ARN, never from endsAt on', async () => {
    await fc.assert(
      fc.asyncProperty(
        secretName,
        secretName,
        keep,
        fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 30 * DAY }),
        fc.integer({ min: 0, max: 30 * DAY }),
        async (ownName, random, kept, endsAt, msBefore, msAfter) => {
          const own = arnOf(ownName);
          const other = arnOf({
            env: kept.env ? ownName.env : random.env,
            team: kept.team ? ownName.team : random.team,
            name: kept.name ? ownName.name : random.name,
            suffix: kept.suffix ? ownName.suffix : random.suffix,
          });
          fc.pre(own !== other);
          const policy = generateGrantPolicy({ type: 'SECRET_READ', secretArn: own }, endsAt);
          const before = new Date(endsAt.getTime() - msBefore);
          const after = new Date(endsAt.getTime() + msAfter);
          expect(await evaluate(policy, { action: 'secretsmanager:GetSecretValue', resource: own, at: before })).toBe('Allowed');
          expect(await evaluate(policy, { action: 'secretsmanager:GetSecretValue', resource: other, at: before })).toBe('ImplicitlyDenied');
          expect(await evaluate(policy, { action: 'secretsmanager:GetSecretValue', resource: own, at: after })).toBe('ImplicitlyDenied');
        },
      ),
      { numRuns: 200 },
    );
  });
});
