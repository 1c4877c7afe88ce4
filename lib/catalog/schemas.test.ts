import { describe, expect, it } from 'vitest';
import type * as z from '@/lib/zod-mini';
import { updateRuleSchema, upsertRoleSchema, upsertSecretSchema } from '@/lib/catalog/schemas';

interface Issue {
  path: PropertyKey[];
  code: string;
  message: string;
}

function issuesOf(schema: z.ZodMiniType, input: unknown): Issue[] {
  const result = schema.safeParse(input);
  expect(result.success).toBe(false);
  return result.error!.issues.map((i) => ({ path: i.path, code: i.code, message: i.message }));
}
const pathsOf = (schema: z.ZodMiniType, input: unknown) => issuesOf(schema, input).map((i) => i.path);

const SECRET_ARN = 'arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:prod/payments/stripe-api-key-AbCdEf';
const KMS_ARN = 'arn:aws:kms:ap-northeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const BAD_SECRET_ARN = 'Not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>).';
const BAD_KMS_ARN = 'Not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>).';
const BARE_STAR = 'A bare "*" action is not allowed: name the service, e.g. s3:GetObject.';
const BAD_ACTION = 'Use service:Action, e.g. s3:GetObject or s3:Get*.';
const NOT_ARN = 'A resource is an ARN: it starts with "arn:".';

/** The secret form as the browser sends it. */
const secretForm = { environment: 'PROD', teamId: 'team_payments', name: 'stripe-api-key', description: 'Stripe key', arn: '', kmsKeyArn: '', active: 'on' };

describe('upsertSecretSchema', () => {
  it('parses the add form: blanks dropped, checkbox "on" is true, text trimmed', () => {
    const data = upsertSecretSchema.parse({ ...secretForm, id: '', name: ' stripe-api-key ', description: '  Stripe key  ' });
    expect(data).toEqual({ environment: 'PROD', teamId: 'team_payments', name: 'stripe-api-key', description: 'Stripe key', active: true });
    expect(data.id).toBeUndefined();
    expect(data.arn).toBeUndefined();
    expect(data.kmsKeyArn).toBeUndefined();
  });

  it('parses the edit form with both ARNs; an unticked checkbox (absent) is false', () => {
    const { active: _active, ...unticked } = secretForm;
    expect(upsertSecretSchema.parse({ ...unticked, id: 'sec_1', arn: SECRET_ARN, kmsKeyArn: KMS_ARN })).toEqual({
      id: 'sec_1',
      environment: 'PROD',
      teamId: 'team_payments',
      name: 'stripe-api-key',
      description: 'Stripe key',
      arn: SECRET_ARN,
      kmsKeyArn: KMS_ARN,
      active: false,
    });
  });

  it('accepts ARNs of other partitions and a missing description', () => {
    const { description: _d, ...rest } = secretForm;
    const data = upsertSecretSchema.parse({
      ...rest,
      arn: 'arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:x',
      kmsKeyArn: 'arn:aws-cn:kms:cn-north-1:123456789012:key/k',
    });
    expect(data.description).toBe('');
  });

  it.each([
    ['an S3 ARN', 'arn:aws:s3:::my-bucket'],
    ['a short account id', 'arn:aws:secretsmanager:us-east-1:12345:secret:x'],
    ['no secret name', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:'],
    ['a bare name', 'prod/payments/stripe-api-key'],
  ])('refuses %s as the secret ARN, on path arn', (_name, arn) => {
    expect(issuesOf(upsertSecretSchema, { ...secretForm, arn })).toEqual([{ path: ['arn'], code: 'invalid_format', message: BAD_SECRET_ARN }]);
  });

  it.each([
    ['an alias', 'arn:aws:kms:us-east-1:123456789012:alias/payments'],
    ['a secret ARN', SECRET_ARN],
  ])('refuses %s as the KMS key ARN, on path kmsKeyArn', (_name, kmsKeyArn) => {
    expect(issuesOf(upsertSecretSchema, { ...secretForm, kmsKeyArn })).toEqual([{ path: ['kmsKeyArn'], code: 'invalid_format', message: BAD_KMS_ARN }]);
  });

  it.each([['Stripe-Key'], ['-leading-dash'], ['has/slash'], ['with space'], ['a'.repeat(129)], ['']])('refuses the name %j', (name) => {
    expect(pathsOf(upsertSecretSchema, { ...secretForm, name })).toEqual([['name']]);
  });

  it('reports every bad field at once, each on its own path', () => {
    expect(pathsOf(upsertSecretSchema, { environment: 'QA', teamId: '', name: 'X', description: 'd'.repeat(501), arn: 'arn:nope', kmsKeyArn: 'nope' })).toEqual(
      [['environment'], ['teamId'], ['name'], ['description'], ['arn'], ['kmsKeyArn']],
    );
  });
});

const POLICY = [{ actions: ['logs:GetLogEvents', 's3:Get*'], resources: ['arn:aws:logs:*:*:log-group:/payments/*'] }];
const roleForm = { teamId: 'team_payments', environment: 'DEV', function: 'read-only', description: 'Read logs', policy: JSON.stringify(POLICY), active: 'on' };
const withPolicy = (policy: unknown) => ({ ...roleForm, policy: typeof policy === 'string' ? policy : JSON.stringify(policy) });

describe('upsertRoleSchema', () => {
  it('parses the policy textarea as JSON', () => {
    expect(upsertRoleSchema.parse({ ...roleForm, id: 'role_1' })).toEqual({
      id: 'role_1',
      teamId: 'team_payments',
      environment: 'DEV',
      function: 'read-only',
      description: 'Read logs',
      policy: POLICY,
      active: true,
    });
  });

  it('accepts an already-parsed policy (JSON bodies) and trims actions and resources', () => {
    const data = upsertRoleSchema.parse({ ...roleForm, policy: [{ actions: [' s3:GetObject '], resources: [' arn:aws:s3:::b/* '] }] });
    expect(data.policy).toEqual([{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }]);
  });

  it('says when the policy is not JSON', () => {
    expect(issuesOf(upsertRoleSchema, withPolicy('[{ actions: [] }'))).toEqual([{ path: ['policy'], code: 'custom', message: 'not valid JSON' }]);
  });

  it('refuses a bare "*" action with its own message, at the exact path', () => {
    expect(issuesOf(upsertRoleSchema, withPolicy([{ actions: ['s3:GetObject', '*'], resources: ['arn:aws:s3:::b'] }]))).toEqual([
      { path: ['policy', 0, 'actions', 1], code: 'custom', message: BARE_STAR },
    ]);
  });

  it.each([['*:*'], ['s3'], ['S3:GetObject'], ['s3:Get Object'], ['s3:GetObject:x'], ['']])('refuses the action %j', (action) => {
    expect(issuesOf(upsertRoleSchema, withPolicy([{ actions: [action], resources: ['arn:aws:s3:::b'] }]))).toEqual([
      { path: ['policy', 0, 'actions', 0], code: 'invalid_format', message: BAD_ACTION },
    ]);
  });

  it('refuses resources that are not ARNs ("*" included), at the exact path', () => {
    const policy = [POLICY[0], { actions: ['s3:GetObject'], resources: ['arn:aws:s3:::ok', '*', 'my-bucket'] }];
    expect(issuesOf(upsertRoleSchema, withPolicy(policy))).toEqual([
      { path: ['policy', 1, 'resources', 1], code: 'invalid_format', message: NOT_ARN },
      { path: ['policy', 1, 'resources', 2], code: 'invalid_format', message: NOT_ARN },
    ]);
  });

  it.each([
    ['no statement', [], ['policy']],
    ['21 statements', Array.from({ length: 21 }, () => POLICY[0]), ['policy']],
    ['an object instead of a list', POLICY[0], ['policy']],
    ['no actions', [{ actions: [], resources: ['arn:aws:s3:::b'] }], ['policy', 0, 'actions']],
    ['51 actions', [{ actions: Array.from({ length: 51 }, (_, i) => `s3:A${i}`), resources: ['arn:aws:s3:::b'] }], ['policy', 0, 'actions']],
    ['no resources key', [{ actions: ['s3:GetObject'] }], ['policy', 0, 'resources']],
    ['51 resources', [{ actions: ['s3:GetObject'], resources: Array.from({ length: 51 }, (_, i) => `arn:aws:s3:::b${i}`) }], ['policy', 0, 'resources']],
    ['a resource that is not a string', [{ actions: ['s3:GetObject'], resources: [42] }], ['policy', 0, 'resources', 0]],
  ])('refuses a policy with %s', (_name, policy, path) => {
    expect(pathsOf(upsertRoleSchema, withPolicy(policy))).toEqual([path]);
  });

  it('refuses IAM keys it does not model (Effect, Condition) instead of dropping them', () => {
    const issues = issuesOf(upsertRoleSchema, withPolicy([{ ...POLICY[0], Effect: 'Deny', Condition: {} }]));
    expect(issues).toEqual([{ path: ['policy', 0], code: 'unrecognized_keys', message: expect.stringContaining('Effect') }]);
  });

  it.each([['Read-Only'], ['x'], ['1st'], ['a'.repeat(41)], ['read_only']])('refuses the function %j', (fn) => {
    expect(pathsOf(upsertRoleSchema, { ...roleForm, function: fn })).toEqual([['function']]);
  });

  it('needs a team and an environment', () => {
    expect(pathsOf(upsertRoleSchema, { ...roleForm, teamId: undefined, environment: 'prod' })).toEqual([['teamId'], ['environment']]);
  });
});

const ruleForm = {
  requestType: 'SECRET_READ',
  environment: 'PROD',
  approvalsRequired: '2',
  approverGroup: 'SECURITY',
  maxDurationMinutes: '480',
  pendingTtlMinutes: '1440',
  breakGlassAllowed: 'on',
};

describe('updateRuleSchema', () => {
  it('coerces the form’s numbers and checkbox', () => {
    expect(updateRuleSchema.parse(ruleForm)).toEqual({
      requestType: 'SECRET_READ',
      environment: 'PROD',
      approvalsRequired: 2,
      approverGroup: 'SECURITY',
      maxDurationMinutes: 480,
      pendingTtlMinutes: 1440,
      breakGlassAllowed: true,
    });
    const { breakGlassAllowed: _b, ...unticked } = ruleForm;
    expect(updateRuleSchema.parse(unticked).breakGlassAllowed).toBe(false);
  });

  it('accepts the bounds', () => {
    expect(updateRuleSchema.parse({ ...ruleForm, approvalsRequired: '1', maxDurationMinutes: '15', pendingTtlMinutes: '15' })).toMatchObject({
      approvalsRequired: 1,
      maxDurationMinutes: 15,
      pendingTtlMinutes: 15,
    });
    expect(updateRuleSchema.parse({ ...ruleForm, approvalsRequired: '5', maxDurationMinutes: '129600', pendingTtlMinutes: '10080' })).toMatchObject({
      approvalsRequired: 5,
      maxDurationMinutes: 129_600,
      pendingTtlMinutes: 10_080,
    });
  });

  it.each([
    ['approvalsRequired', '0', 'At least 1 approvals.'],
    ['approvalsRequired', '6', 'At most 5 approvals.'],
    ['approvalsRequired', '1.5', 'Give a whole number of approvals.'],
    ['approvalsRequired', '', 'Give a number of approvals.'],
    ['maxDurationMinutes', '14', 'At least 15 minutes.'],
    ['maxDurationMinutes', '129601', 'At most 129600 minutes.'],
    ['pendingTtlMinutes', '10081', 'At most 10080 minutes.'],
    ['pendingTtlMinutes', 'soon', 'Give a number of minutes.'],
  ])('refuses %s = %j', (field, value, message) => {
    const issues = issuesOf(updateRuleSchema, { ...ruleForm, [field]: value });
    expect(issues.map(({ path, message: m }) => ({ path, message: m }))).toEqual([{ path: [field], message }]);
  });

  it('refuses unknown request types, environments and approver groups', () => {
    expect(pathsOf(updateRuleSchema, { ...ruleForm, requestType: 'ADMIN', environment: 'QA', approverGroup: 'ANYONE' })).toEqual([
      ['requestType'],
      ['environment'],
      ['approverGroup'],
    ]);
  });
});
