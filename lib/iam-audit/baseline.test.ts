import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import {
  assertMayApply,
  assertMayDecide,
  belongsInBaseline,
  generateBaselinePolicy,
  planBaseline,
  planChangesMembers,
  type PortalPrincipal,
} from '@/lib/iam-audit/baseline';
import type { AppRole } from '@/lib/identity/actor';

const p = (userId: string, roles: AppRole[], principal: PortalPrincipal['principal'], active = true): PortalPrincipal => ({
  userId,
  name: `User ${userId}`,
  roles,
  active,
  principal,
});
const iamUser = (name: string) => ({ kind: 'IAM_USER' as const, name, arn: `arn:aws:iam::111122223333:user/${name}` });

function errorOf(run: () => void): AppError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('did not throw');
}

describe('generateBaselinePolicy', () => {
  it('allows ListSecrets on * and DescribeSecret on the account’s secrets, nothing else', () => {
    expect(generateBaselinePolicy('aws', '111122223333')).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'ListSecretNames', Effect: 'Allow', Action: ['secretsmanager:ListSecrets'], Resource: ['*'] },
        {
          Sid: 'DescribeSecretMetadata',
          Effect: 'Allow',
          Action: ['secretsmanager:DescribeSecret'],
          Resource: ['arn:aws:secretsmanager:*:111122223333:secret:*'],
        },
      ],
    });
    expect(generateBaselinePolicy('aws-cn', '123456789012').Statement[1]?.Resource).toEqual(['arn:aws-cn:secretsmanager:*:123456789012:secret:*']);
  });

  it('refuses a malformed account or partition', () => {
    expect(() => generateBaselinePolicy('aws', '12345')).toThrow('not an AWS account id');
    expect(() => generateBaselinePolicy('gcp', '123456789012')).toThrow('not an AWS partition');
  });
});

describe('who belongs in the baseline', () => {
  it('is every active user whose roles include neither SECURITY nor OPS', () => {
    expect(belongsInBaseline({ roles: ['ENGINEER'], active: true })).toBe(true);
    expect(belongsInBaseline({ roles: ['ADMIN'], active: true })).toBe(true);
    expect(belongsInBaseline({ roles: ['ENGINEER', 'SECURITY'], active: true })).toBe(false);
    expect(belongsInBaseline({ roles: ['OPS', 'ENGINEER'], active: true })).toBe(false);
    expect(belongsInBaseline({ roles: ['ENGINEER'], active: false })).toBe(false);
  });
});

describe('planBaseline', () => {
  const principals = [
    p('minji', ['ENGINEER'], iamUser('minji.kim')),
    p('daniel', ['ENGINEER'], iamUser('daniel.okafor')),
    p('admin', ['ADMIN'], iamUser('hyunwoo.lee')),
    p('seoyeon', ['SECURITY'], iamUser('seoyeon.park')),
    p('priya', ['OPS', 'ENGINEER'], iamUser('priya.raman')),
    p('gone', ['ENGINEER'], iamUser('left.company'), false),
    p('unmapped', ['ENGINEER'], null),
    p('roleuser', ['ENGINEER'], { kind: 'IAM_ROLE', name: 'ci', arn: 'arn:aws:iam::111122223333:role/ci' }),
  ];

  it('adds everyone outside security / devops when the group does not exist yet', () => {
    const plan = planBaseline(principals, null);
    expect(plan.add.map((m) => m.iamUser)).toEqual(['daniel.okafor', 'hyunwoo.lee', 'minji.kim']);
    expect(plan.add[2]).toEqual({ iamUser: 'minji.kim', userId: 'minji', name: 'User minji' });
    expect(plan.remove).toEqual([]);
    expect(plan.keep).toEqual([]);
    expect(plan.skipped).toEqual([
      { userId: 'roleuser', name: 'User roleuser', reason: 'ROLE_PRINCIPAL' },
      { userId: 'unmapped', name: 'User unmapped', reason: 'NO_PRINCIPAL' },
    ]);
    expect(plan.groupExists).toBe(false);
  });

  it('keeps members who belong, removes security / ops / deactivated / unknown members, case-insensitively', () => {
    const plan = planBaseline(principals, ['Minji.Kim', 'seoyeon.park', 'priya.raman', 'left.company', 'stranger']);
    expect(plan.keep).toEqual([{ iamUser: 'Minji.Kim', userId: 'minji', name: 'User minji' }]);
    expect(plan.add.map((m) => m.iamUser)).toEqual(['daniel.okafor', 'hyunwoo.lee']);
    expect(plan.remove).toEqual([
      { iamUser: 'left.company', userId: 'gone', name: 'User gone' },
      { iamUser: 'priya.raman', userId: 'priya', name: 'User priya' },
      { iamUser: 'seoyeon.park', userId: 'seoyeon', name: 'User seoyeon' },
      { iamUser: 'stranger', userId: null, name: null },
    ]);
    expect(plan.groupExists).toBe(true);
    expect(planChangesMembers(plan)).toBe(true);
  });

  it('is empty once the group holds exactly the right users', () => {
    const plan = planBaseline(principals, ['minji.kim', 'daniel.okafor', 'hyunwoo.lee']);
    expect(plan.add).toEqual([]);
    expect(plan.remove).toEqual([]);
    expect(plan.keep).toHaveLength(3);
    expect(planChangesMembers(plan)).toBe(false);
  });
});

describe('deciding and applying a plan', () => {
  const author = { id: 'seoyeon', roles: ['SECURITY'] as AppRole[] };
  const other = { id: 'lucas', roles: ['SECURITY'] as AppRole[] };
  const admin = { id: 'hyunwoo', roles: ['ADMIN'] as AppRole[] };
  const engineer = { id: 'minji', roles: ['ENGINEER'] as AppRole[] };
  const proposed = { status: 'PROPOSED' as const, authorId: 'seoyeon' };

  it('the author cannot approve their own plan; another security member or an admin can', () => {
    const e = errorOf(() => assertMayDecide(proposed, author, 'APPROVE'));
    expect(e.code).toBe('FORBIDDEN');
    expect(e.message).toBe('You proposed this plan: another member of the security team or an admin must approve it.');
    expect(() => assertMayDecide(proposed, other, 'APPROVE')).not.toThrow();
    expect(() => assertMayDecide(proposed, admin, 'APPROVE')).not.toThrow();
  });

  it('the author may withdraw (reject) their own plan; engineers decide nothing', () => {
    expect(() => assertMayDecide(proposed, author, 'REJECT')).not.toThrow();
    expect(errorOf(() => assertMayDecide(proposed, engineer, 'REJECT')).code).toBe('FORBIDDEN');
  });

  it('only a PROPOSED plan can be decided', () => {
    for (const status of ['APPROVED', 'APPLIED', 'APPLY_FAILED', 'REJECTED', 'SUPERSEDED'] as const) {
      expect(errorOf(() => assertMayDecide({ status, authorId: 'seoyeon' }, other, 'APPROVE')).code).toBe('CONFLICT');
    }
  });

  it('only an approved (or failed) plan can be applied, by security or an admin', () => {
    expect(() => assertMayApply({ status: 'APPROVED' }, author)).not.toThrow();
    expect(() => assertMayApply({ status: 'APPLY_FAILED' }, admin)).not.toThrow();
    expect(errorOf(() => assertMayApply({ status: 'APPROVED' }, engineer)).code).toBe('FORBIDDEN');
    expect(errorOf(() => assertMayApply({ status: 'PROPOSED' }, author)).code).toBe('CONFLICT');
    expect(errorOf(() => assertMayApply({ status: 'APPLIED' }, author)).message).toBe('This plan has already been applied.');
  });
});
