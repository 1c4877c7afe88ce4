import { describe, expect, it } from 'vitest';
import { generateGrantPolicy } from '@/lib/grants/policy';
import { generateBaselinePolicy } from '@/lib/iam-audit/baseline';
import type { AccountAuthorizationDetails, IamGroupDetail, IamRoleDetail, IamUserDetail, RawPolicyDocument, RawStatement } from '@/lib/iam-audit/model';
import { auditAccount, filterFindings, isPrivilegedName, statementIssues, unusedRoleFacts, type AuditSettings } from '@/lib/iam-audit/rules';
import { scopeOf } from '@/lib/iam-audit/suggest';

const ACCOUNT = '123456789012';
const NOW = new Date('2026-11-29T12:00:00Z');
const DAY = 86_400_000;
const SETTINGS: AuditSettings = { privilegedPrincipals: ['security', 'devops', 'security-*'], unusedRoleDays: 90 };

const doc = (...Statement: RawStatement[]): RawPolicyDocument => ({ Version: '2012-10-17', Statement });
const allow = (Action: string | string[], Resource: string | string[] = '*', extra: Partial<RawStatement> = {}): RawStatement => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...extra,
});

function user(name: string, over: Partial<IamUserDetail> = {}): IamUserDetail {
  return {
    name,
    arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    path: '/',
    createdAt: new Date('2025-01-01'),
    inlinePolicies: [],
    attachedPolicies: [],
    tags: {},
    groups: [],
    ...over,
  };
}
function group(name: string, over: Partial<IamGroupDetail> = {}): IamGroupDetail {
  return {
    name,
    arn: `arn:aws:iam::${ACCOUNT}:group/${name}`,
    path: '/',
    createdAt: new Date('2025-01-01'),
    inlinePolicies: [],
    attachedPolicies: [],
    ...over,
  };
}
function role(name: string, over: Partial<IamRoleDetail> = {}): IamRoleDetail {
  return {
    name,
    arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    path: '/',
    createdAt: new Date(NOW.getTime() - 400 * DAY),
    inlinePolicies: [],
    attachedPolicies: [],
    tags: {},
    lastUsed: { tracked: true, at: new Date(NOW.getTime() - 2 * DAY) },
    ...over,
  };
}
function account(over: Partial<AccountAuthorizationDetails>): AccountAuthorizationDetails {
  return { users: [], groups: [], roles: [], policies: [], ...over };
}
const audit = (details: AccountAuthorizationDetails, settings = SETTINGS) => auditAccount(details, settings, NOW);

describe('statementIssues', () => {
  it('flags Action "*" on Resource "*" as admin, inline or managed', () => {
    expect(statementIssues(allow('*'), true, false)).toEqual([{ kind: 'INLINE_ADMIN', severity: 'critical', facts: {} }]);
    expect(statementIssues(allow(['*:*']), false, false)).toEqual([{ kind: 'ADMIN_WILDCARD', severity: 'critical', facts: {} }]);
    // Privileged principals are not exempt from admin findings.
    expect(statementIssues(allow('*'), false, true)).toHaveLength(1);
  });

  it('flags Allow + NotAction on everything as broad admin (high), and NotResource as everything', () => {
    expect(statementIssues({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' }, false, false)).toEqual([
      { kind: 'ADMIN_WILDCARD', severity: 'high', facts: { except: 'iam:*, organizations:*' } },
    ]);
    expect(statementIssues({ Effect: 'Allow', Action: '*', NotResource: `arn:aws:s3:::audit-logs` }, true, false)[0]?.kind).toBe('INLINE_ADMIN');
  });

  it('flags service wildcards on every resource, critical for iam / sts / organizations', () => {
    expect(statementIssues(allow('s3:*'), false, false)).toEqual([{ kind: 'SERVICE_WILDCARD', severity: 'high', service: 's3', facts: { service: 's3' } }]);
    expect(statementIssues(allow(['IAM:*']), false, false)).toEqual([
      { kind: 'SERVICE_WILDCARD', severity: 'critical', service: 'iam', facts: { service: 'iam' } },
    ]);
    expect(statementIssues(allow(['s3:*', 'dynamodb:*', 's3:*'], '*'), false, false).map((i) => i.service)).toEqual(['s3', 'dynamodb']);
    // Every resource of the service, written as an ARN.
    expect(statementIssues(allow('s3:*', 'arn:aws:s3:::*'), false, false)).toHaveLength(1);
    expect(statementIssues(allow('dynamodb:*', 'arn:aws:dynamodb:*:*:table/*'), false, false)).toHaveLength(1);
  });

  it('does not flag wildcards on named resources, Deny statements or partial action wildcards elsewhere', () => {
    expect(statementIssues(allow('s3:*', ['arn:aws:s3:::payments-reports', 'arn:aws:s3:::payments-reports/*']), false, false)).toEqual([]);
    // One bucket's objects look like `type/*` but are not every S3 resource.
    expect(statementIssues(allow('s3:*', 'arn:aws:s3:::logs/*'), false, false)).toEqual([]);
    expect(statementIssues({ Effect: 'Deny', Action: '*', Resource: '*' }, true, false)).toEqual([]);
    expect(statementIssues(allow('*', 'arn:aws:s3:::bucket'), true, false)).toEqual([]);
    expect(statementIssues(allow(['s3:Get*', 'logs:Describe*']), false, false)).toEqual([]);
    // A wildcard service on another service's resources reaches nothing of its own.
    expect(statementIssues(allow('dynamodb:*', 'arn:aws:s3:::*'), false, false)).toEqual([]);
  });

  it('flags iam:PassRole on every role, also through patterns, but not on named roles', () => {
    expect(statementIssues(allow('iam:PassRole'), false, false)).toEqual([{ kind: 'PASSROLE_WILDCARD', severity: 'high', facts: {} }]);
    expect(statementIssues(allow(['iam:Pass*']), false, false)[0]?.kind).toBe('PASSROLE_WILDCARD');
    expect(statementIssues(allow('iam:passrole', `arn:aws:iam::${ACCOUNT}:role/*`), false, false)[0]?.kind).toBe('PASSROLE_WILDCARD');
    expect(statementIssues(allow('iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/prod-payments-worker`), false, false)).toEqual([]);
    // iam:* is one (critical) finding, not also a PassRole one.
    expect(statementIssues(allow('iam:*'), false, false).map((i) => i.kind)).toEqual(['SERVICE_WILDCARD']);
  });

  it('flags GetSecretValue on every secret for principals outside security only', () => {
    expect(statementIssues(allow('secretsmanager:GetSecretValue'), false, false)).toEqual([{ kind: 'SECRET_READ_WILDCARD', severity: 'high', facts: {} }]);
    expect(statementIssues(allow('secretsmanager:Get*', `arn:aws:secretsmanager:*:${ACCOUNT}:secret:*`), false, false)[0]?.kind).toBe('SECRET_READ_WILDCARD');
    expect(statementIssues(allow('secretsmanager:GetSecretValue'), false, true)).toEqual([]);
    expect(
      statementIssues(allow('secretsmanager:GetSecretValue', `arn:aws:secretsmanager:eu-central-1:${ACCOUNT}:secret:prod/payments/db-AbCdEf`), false, false),
    ).toEqual([]);
    // secretsmanager:* is a service wildcard finding (for everyone), not also a secret-read one.
    expect(statementIssues(allow('secretsmanager:*'), false, false).map((i) => i.kind)).toEqual(['SERVICE_WILDCARD']);
  });

  it('reports several problems of one statement separately', () => {
    expect(statementIssues(allow(['iam:PassRole', 'secretsmanager:GetSecretValue', 'ec2:*']), false, false).map((i) => i.kind)).toEqual([
      'SERVICE_WILDCARD',
      'PASSROLE_WILDCARD',
      'SECRET_READ_WILDCARD',
    ]);
  });
});

describe('auditAccount', () => {
  it('produces nothing for a clean account, including Gatehouse grant policies and the baseline', () => {
    const grantArn = `arn:aws:iam::${ACCOUNT}:policy/gatehouse/gatehouse-grant-g1`;
    const baselineArn = `arn:aws:iam::${ACCOUNT}:policy/gatehouse/gatehouse-baseline-secrets-metadata`;
    const grant = generateGrantPolicy(
      {
        type: 'SECRET_READ',
        secretArn: `arn:aws:secretsmanager:eu-central-1:${ACCOUNT}:secret:prod/payments/db-AbCdEf`,
        kmsKeyArn: `arn:aws:kms:eu-central-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      },
      new Date('2026-12-01T00:00:00Z'),
    );
    const roleGrant = generateGrantPolicy(
      { type: 'ROLE', roleArn: `arn:aws:iam::${ACCOUNT}:role/gatehouse/payments-prod-on-call`, grantId: 'g2' },
      new Date('2026-12-01T00:00:00Z'),
    );
    const result = audit(
      account({
        users: [
          user('minji.kim', { attachedPolicies: [{ name: 'gatehouse-grant-g1', arn: grantArn }], groups: ['gatehouse-baseline-secrets'] }),
          user('reader', { inlinePolicies: [{ name: 'reads', document: doc(allow(['s3:GetObject'], 'arn:aws:s3:::payments-reports/*')) }] }),
        ],
        groups: [
          group('gatehouse-baseline-secrets', { path: '/gatehouse/', attachedPolicies: [{ name: 'gatehouse-baseline-secrets-metadata', arn: baselineArn }] }),
        ],
        roles: [role('payments-worker', { inlinePolicies: [{ name: 'role-grant', document: roleGrant as unknown as RawPolicyDocument }] })],
        policies: [
          { name: 'gatehouse-grant-g1', arn: grantArn, path: '/gatehouse/', document: grant as unknown as RawPolicyDocument },
          {
            name: 'gatehouse-baseline-secrets-metadata',
            arn: baselineArn,
            path: '/gatehouse/',
            document: generateBaselinePolicy('aws', ACCOUNT) as unknown as RawPolicyDocument,
          },
        ],
      }),
    );
    expect(result).toEqual({ principalCount: 4, policyCount: 2, findings: [] });
  });

  it('finds each kind once, with principal, policy, statement, why and a suggestion, most severe first', () => {
    const adminArn = 'arn:aws:iam::aws:policy/AdministratorAccess';
    const result = audit(
      account({
        users: [
          user('ci-deployer', { inlinePolicies: [{ name: 'legacy-deploy', document: doc(allow('*')) }] }),
          user('legacy-ops', { attachedPolicies: [{ name: 'AdministratorAccess', arn: adminArn }] }),
          user('build-bot', {
            inlinePolicies: [{ name: 'pass-any-role', document: doc(allow('s3:GetObject', 'arn:aws:s3:::artifacts/*'), allow('iam:PassRole')) }],
          }),
          user('data-analyst', {
            tags: { team: 'data', env: 'prod' },
            groups: ['developers'],
            inlinePolicies: [{ name: 'read-secrets', document: doc(allow('secretsmanager:GetSecretValue')) }],
          }),
        ],
        groups: [group('developers', { inlinePolicies: [{ name: 's3-everything', document: doc(allow('s3:*')) }] })],
        roles: [role('old-etl', { lastUsed: { tracked: true, at: new Date(NOW.getTime() - 200 * DAY) } })],
        policies: [{ name: 'AdministratorAccess', arn: adminArn, path: '/', document: doc(allow('*')) }],
      }),
    );
    expect(result.findings.map((f) => [f.severity, f.kind, f.principal.name])).toEqual([
      ['critical', 'INLINE_ADMIN', 'ci-deployer'],
      ['critical', 'ADMIN_WILDCARD', 'legacy-ops'],
      ['high', 'SERVICE_WILDCARD', 'developers'],
      ['high', 'PASSROLE_WILDCARD', 'build-bot'],
      ['high', 'SECRET_READ_WILDCARD', 'data-analyst'],
      ['low', 'UNUSED_ROLE', 'old-etl'],
    ]);
    const [inline, managed, service, passRole, secret, unused] = result.findings;
    expect(inline).toMatchObject({
      principal: { type: 'user', name: 'ci-deployer', arn: `arn:aws:iam::${ACCOUNT}:user/ci-deployer` },
      policy: { kind: 'inline', name: 'legacy-deploy', ownerType: 'user', ownerName: 'ci-deployer', ownerArn: `arn:aws:iam::${ACCOUNT}:user/ci-deployer` },
      statementIndex: 0,
      statement: { Effect: 'Allow', Action: '*', Resource: '*' },
      why: 'Inline policy allows every action on every resource ("Action": "*", "Resource": "*"); inline policies escape managed-policy reviews.',
      suggestion: { fillIn: ['<service>', '<Action>', '<resource-type>', '<env>', '<team>'], readOnly: false },
    });
    expect(managed?.policy).toEqual({ kind: 'managed', name: 'AdministratorAccess', arn: adminArn, awsManaged: true });
    expect(service?.why).toBe('Allows every s3 action ("s3:*") on every resource. Every member of the group (1) holds it.');
    expect(service?.facts).toEqual({ service: 's3', members: 1, policy: 's3-everything' });
    expect(passRole).toMatchObject({ statementIndex: 1, statement: { Action: 'iam:PassRole' } });
    expect(passRole?.suggestion?.statement).toEqual({
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: [`arn:aws:iam::${ACCOUNT}:role/<env>-<team>-*`],
      Condition: { StringEquals: { 'iam:PassedToService': '<service>.amazonaws.com' } },
    });
    // The team and environment come from the principal's tags: nothing to fill in.
    expect(secret?.suggestion).toEqual({
      statement: {
        Effect: 'Allow',
        Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        Resource: [`arn:aws:secretsmanager:*:${ACCOUNT}:secret:prod/data/*`],
      },
      scope: { team: 'data', env: 'prod', source: 'tags' },
      fillIn: [],
      readOnly: true,
    });
    expect(unused).toMatchObject({ policy: null, statement: null, statementIndex: null, suggestion: null, why: 'Last used 200 days ago (threshold 90 days).' });
  });

  it('exempts members of privileged groups and privileged roles from secret-read findings only', () => {
    const readAll = doc(allow('secretsmanager:GetSecretValue'));
    const result = audit(
      account({
        users: [user('seoyeon.park', { groups: ['Security'] }), user('outsider', { inlinePolicies: [{ name: 'r', document: readAll }] })],
        groups: [group('security', { inlinePolicies: [{ name: 'read-secrets', document: readAll }] })],
        roles: [
          role('security-breakglass', { inlinePolicies: [{ name: 'r', document: readAll }] }),
          role('security-admin', { inlinePolicies: [{ name: 'admin', document: doc(allow('*')) }] }),
        ],
      }),
    );
    expect(result.findings.map((f) => [f.kind, f.principal.name])).toEqual([
      ['INLINE_ADMIN', 'security-admin'],
      ['SECRET_READ_WILDCARD', 'outsider'],
    ]);
  });

  it('reads managed policies through their ARN, and skips attached ones whose document is unknown', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:policy/teams/ops-all`;
    const unknown = `arn:aws:iam::${ACCOUNT}:policy/unknown`;
    const result = audit(
      account({
        roles: [
          role('ops', {
            attachedPolicies: [
              { name: 'ops-all', arn },
              { name: 'unknown', arn: unknown },
            ],
          }),
        ],
        policies: [
          { name: 'ops-all', arn, path: '/teams/', document: { Statement: { Effect: 'Allow', Action: 'ec2:*', Resource: '*' } } },
          { name: 'unknown', arn: unknown, path: '/', document: null },
        ],
      }),
    );
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ kind: 'SERVICE_WILDCARD', policy: { kind: 'managed', arn, awsManaged: false }, statementIndex: 0 });
    expect(result.findings[0]?.suggestion?.statement).toEqual({
      Effect: 'Allow',
      Action: ['ec2:<Action>'],
      Resource: [`arn:aws:ec2:*:${ACCOUNT}:<resource-type>/<env>-<team>-*`],
    });
  });

  it('gives stable ids: the same account scanned twice, or reordered, has the same ids', () => {
    const details = account({
      users: [user('a', { inlinePolicies: [{ name: 'x', document: doc(allow('*'), allow('s3:*'), allow('iam:PassRole')) }] })],
      roles: [role('b', { lastUsed: { tracked: true, at: null } })],
    });
    const first = audit(details).findings.map((f) => f.id);
    expect(new Set(first).size).toBe(4);
    expect(first.every((id) => /^[0-9a-f]{20}$/.test(id))).toBe(true);
    const again = audit({ ...details, users: [...details.users].reverse() }).findings.map((f) => f.id);
    expect(again).toEqual(first);
  });

  it('skips service-linked roles and notes conditions in why', () => {
    const result = audit(
      account({
        roles: [
          role('AWSServiceRoleForSupport', {
            path: '/aws-service-role/support.amazonaws.com/',
            inlinePolicies: [{ name: 'x', document: doc(allow('*')) }],
            lastUsed: { tracked: true, at: null },
          }),
          role('conditional', {
            inlinePolicies: [{ name: 'c', document: doc(allow('s3:*', '*', { Condition: { Bool: { 'aws:SecureTransport': 'true' } } })) }],
          }),
        ],
      }),
    );
    expect(result.principalCount).toBe(1);
    expect(result.findings.map((f) => f.principal.name)).toEqual(['conditional']);
    expect(result.findings[0]?.why).toBe('Allows every s3 action ("s3:*") on every resource. The statement has conditions: check whether they narrow it.');
  });

  it('filters by kind and severity', () => {
    const { findings } = audit(account({ users: [user('a', { inlinePolicies: [{ name: 'x', document: doc(allow('*'), allow('s3:*')) }] })] }));
    expect(filterFindings(findings, {}).length).toBe(2);
    expect(filterFindings(findings, { kind: 'SERVICE_WILDCARD' }).map((f) => f.kind)).toEqual(['SERVICE_WILDCARD']);
    expect(filterFindings(findings, { severity: 'critical' }).map((f) => f.kind)).toEqual(['INLINE_ADMIN']);
    expect(filterFindings(findings, { severity: 'low' })).toEqual([]);
  });
});

describe('unused roles', () => {
  const at = (days: number) => new Date(NOW.getTime() - days * DAY);
  it('are roles last used more than N days ago, or never used and older than N days', () => {
    expect(unusedRoleFacts({ lastUsed: { tracked: true, at: at(91) }, createdAt: at(500) }, NOW, 90)).toEqual({ lastUsedDays: 91, threshold: 90 });
    expect(unusedRoleFacts({ lastUsed: { tracked: true, at: at(90) }, createdAt: at(500) }, NOW, 90)).toBeNull();
    expect(unusedRoleFacts({ lastUsed: { tracked: true, at: null }, createdAt: at(120) }, NOW, 90)).toEqual({ createdDays: 120, threshold: 90 });
    expect(unusedRoleFacts({ lastUsed: { tracked: true, at: null }, createdAt: at(30) }, NOW, 90)).toBeNull();
    expect(unusedRoleFacts({ lastUsed: { tracked: true, at: at(40) }, createdAt: at(500) }, NOW, 30)).toEqual({ lastUsedDays: 40, threshold: 30 });
  });

  it('are not judged when there is no last-used data', () => {
    expect(unusedRoleFacts({ lastUsed: { tracked: false }, createdAt: at(1000) }, NOW, 90)).toBeNull();
    const { findings } = audit(account({ roles: [role('x', { lastUsed: { tracked: false }, createdAt: at(1000) })] }));
    expect(findings).toEqual([]);
  });
});

describe('privileged principals and scopes', () => {
  it('match names case-insensitively with * wildcards', () => {
    expect(isPrivilegedName('Security', ['security'])).toBe(true);
    expect(isPrivilegedName('security-breakglass', ['security-*'])).toBe(true);
    expect(isPrivilegedName('not-security', ['security-*'])).toBe(false);
    expect(isPrivilegedName('securityx', ['security'])).toBe(false);
    expect(isPrivilegedName('a.b', ['a?b'])).toBe(true);
    expect(isPrivilegedName('axb', ['a.b'])).toBe(false);
  });

  it('read the team and environment from tags first, then from the path', () => {
    expect(scopeOf({ path: '/', tags: { Team: 'Payments', Environment: 'Production' } })).toEqual({ team: 'payments', env: 'prod', source: 'tags' });
    expect(scopeOf({ path: '/teams/data/staging/', tags: {} })).toEqual({ team: 'data', env: 'staging', source: 'path' });
    expect(scopeOf({ path: '/payments/', tags: { env: 'dev' } })).toEqual({ team: 'payments', env: 'dev', source: 'path' });
    expect(scopeOf({ path: '/gatehouse/', tags: {} })).toEqual({ team: null, env: null, source: null });
    expect(scopeOf({ path: '/' })).toEqual({ team: null, env: null, source: null });
  });
});
