import { describe, expect, it } from 'vitest';
import { addsPrivilegedRole, assertMayDecideChange, userTargetKey } from '@/lib/control-plane/model';
import { AppError } from '@/lib/errors';

function codeOf(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    return (e as AppError).code;
  }
  return 'OK';
}

const change = { status: 'PROPOSED', authorId: 'seoyeon', kind: 'APPROVAL_RULE', targetKey: 'rule:SECRET_READ/PROD' } as const;
const seoyeon = { id: 'seoyeon', roles: ['SECURITY' as const] };
const lucas = { id: 'lucas', roles: ['SECURITY' as const] };
const admin = { id: 'hyunwoo', roles: ['ADMIN' as const] };
const engineer = { id: 'minji', roles: ['ENGINEER' as const] };

describe('assertMayDecideChange', () => {
  it('lets another security or admin user approve or reject, never the author', () => {
    expect(codeOf(() => assertMayDecideChange(change, lucas, 'APPROVE'))).toBe('OK');
    expect(codeOf(() => assertMayDecideChange(change, admin, 'REJECT'))).toBe('OK');
    expect(codeOf(() => assertMayDecideChange(change, seoyeon, 'APPROVE'))).toBe('FORBIDDEN');
    expect(codeOf(() => assertMayDecideChange(change, seoyeon, 'REJECT'))).toBe('FORBIDDEN');
  });

  it('lets only the author withdraw', () => {
    expect(codeOf(() => assertMayDecideChange(change, seoyeon, 'WITHDRAW'))).toBe('OK');
    expect(codeOf(() => assertMayDecideChange(change, lucas, 'WITHDRAW'))).toBe('FORBIDDEN');
  });

  it('refuses engineers and changes no longer proposed', () => {
    expect(codeOf(() => assertMayDecideChange(change, engineer, 'APPROVE'))).toBe('FORBIDDEN');
    for (const status of ['APPLIED', 'REJECTED', 'WITHDRAWN', 'SUPERSEDED'] as const)
      expect(codeOf(() => assertMayDecideChange({ ...change, status }, lucas, 'APPROVE'))).toBe('CONFLICT');
  });

  it('refuses the subject of a role assignment approving their own elevation', () => {
    const grant = { ...change, kind: 'USER_ROLES' as const, authorId: 'hyunwoo', targetKey: userTargetKey('lucas') };
    expect(codeOf(() => assertMayDecideChange(grant, lucas, 'APPROVE'))).toBe('FORBIDDEN');
    expect(codeOf(() => assertMayDecideChange(grant, seoyeon, 'APPROVE'))).toBe('OK');
  });
});

describe('addsPrivilegedRole', () => {
  it('is true only when SECURITY or ADMIN is added', () => {
    expect(addsPrivilegedRole(['ENGINEER'], ['ENGINEER', 'SECURITY'])).toBe(true);
    expect(addsPrivilegedRole(['ENGINEER'], ['ADMIN'])).toBe(true);
    expect(addsPrivilegedRole(['ENGINEER'], ['OPS'])).toBe(false);
    expect(addsPrivilegedRole(['SECURITY', 'ENGINEER'], ['SECURITY'])).toBe(false);
    expect(addsPrivilegedRole(['ADMIN'], [])).toBe(false);
  });
});
