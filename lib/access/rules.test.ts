import { describe, expect, it } from 'vitest';
import { REQUEST_TYPES, type ApprovalRuleValues, type RequestType } from '@/lib/access/model';
import { ENVIRONMENTS, type Environment } from '@/lib/environments';
import { BREAK_GLASS_MAX_MINUTES, defaultRule, resolveRule } from '@/lib/access/rules';

// Every (type, environment) default, written out in full.
const EXPECTED: Record<RequestType, Record<Environment, ApprovalRuleValues>> = {
  SECRET_READ: {
    DEV: { approvalsRequired: 1, approverGroup: 'SECURITY', maxDurationMinutes: 10080, pendingTtlMinutes: 1440, breakGlassAllowed: false },
    STAGING: { approvalsRequired: 1, approverGroup: 'SECURITY', maxDurationMinutes: 4320, pendingTtlMinutes: 1440, breakGlassAllowed: false },
    PROD: { approvalsRequired: 2, approverGroup: 'SECURITY', maxDurationMinutes: 480, pendingTtlMinutes: 1440, breakGlassAllowed: true },
  },
  ROLE: {
    DEV: { approvalsRequired: 1, approverGroup: 'SECURITY_AND_TEAM_LEAD', maxDurationMinutes: 10080, pendingTtlMinutes: 1440, breakGlassAllowed: false },
    STAGING: { approvalsRequired: 1, approverGroup: 'SECURITY_AND_TEAM_LEAD', maxDurationMinutes: 4320, pendingTtlMinutes: 1440, breakGlassAllowed: false },
    PROD: { approvalsRequired: 2, approverGroup: 'SECURITY_AND_TEAM_LEAD', maxDurationMinutes: 480, pendingTtlMinutes: 1440, breakGlassAllowed: true },
  },
  SECRET_REGISTER: {
    DEV: { approvalsRequired: 1, approverGroup: 'SECURITY', maxDurationMinutes: 60, pendingTtlMinutes: 1440, breakGlassAllowed: false },
    STAGING: { approvalsRequired: 1, approverGroup: 'SECURITY', maxDurationMinutes: 60, pendingTtlMinutes: 1440, breakGlassAllowed: false },
    PROD: { approvalsRequired: 2, approverGroup: 'SECURITY', maxDurationMinutes: 60, pendingTtlMinutes: 1440, breakGlassAllowed: false },
  },
};

const COMBINATIONS = REQUEST_TYPES.flatMap((type) => ENVIRONMENTS.map((environment) => [type, environment] as const));

describe('defaultRule', () => {
  it('has an expectation for all 9 combinations', () => {
    expect(COMBINATIONS).toHaveLength(9);
    expect(Object.keys(EXPECTED).sort()).toEqual([...REQUEST_TYPES].sort());
  });

  it.each(COMBINATIONS)('gives the exact default for %s in %s', (type, environment) => {
    expect(defaultRule(type, environment)).toStrictEqual(EXPECTED[type][environment]);
  });

  it('allows break-glass only for PROD SECRET_READ and PROD ROLE', () => {
    const allowed = COMBINATIONS.filter(([type, environment]) => defaultRule(type, environment).breakGlassAllowed).map(([t, e]) => `${e} ${t}`);
    expect(allowed).toEqual(['PROD SECRET_READ', 'PROD ROLE']);
  });

  it('uses SECURITY_AND_TEAM_LEAD exactly for ROLE', () => {
    for (const [type, environment] of COMBINATIONS) {
      expect(defaultRule(type, environment).approverGroup).toBe(type === 'ROLE' ? 'SECURITY_AND_TEAM_LEAD' : 'SECURITY');
    }
  });

  it('caps SECRET_REGISTER at one hour in every environment', () => {
    expect(ENVIRONMENTS.map((e) => defaultRule('SECRET_REGISTER', e).maxDurationMinutes)).toEqual([60, 60, 60]);
  });

  it('returns a fresh object each call: mutating one result does not leak into the next', () => {
    for (const [type, environment] of COMBINATIONS) {
      const first = defaultRule(type, environment);
      expect(defaultRule(type, environment)).not.toBe(first);
      first.approvalsRequired = 99;
      first.approverGroup = type === 'ROLE' ? 'SECURITY' : 'SECURITY_AND_TEAM_LEAD';
      first.maxDurationMinutes = 1;
      first.pendingTtlMinutes = 1;
      first.breakGlassAllowed = !first.breakGlassAllowed;
      expect(defaultRule(type, environment)).toStrictEqual(EXPECTED[type][environment]);
    }
  });

  it('is not affected by a ROLE or SECRET_REGISTER override applied to the same environment before', () => {
    defaultRule('ROLE', 'PROD');
    defaultRule('SECRET_REGISTER', 'PROD');
    expect(defaultRule('SECRET_READ', 'PROD')).toStrictEqual(EXPECTED.SECRET_READ.PROD);
  });
});

describe('resolveRule', () => {
  const stored: ApprovalRuleValues = {
    approvalsRequired: 3,
    approverGroup: 'SECURITY_AND_TEAM_LEAD',
    maxDurationMinutes: 30,
    pendingTtlMinutes: 90,
    breakGlassAllowed: true,
  };

  it.each(COMBINATIONS)('returns the stored rule itself for %s in %s', (type, environment) => {
    const result = resolveRule(stored, type, environment);
    expect(result).toBe(stored);
    expect(result).toStrictEqual({
      approvalsRequired: 3,
      approverGroup: 'SECURITY_AND_TEAM_LEAD',
      maxDurationMinutes: 30,
      pendingTtlMinutes: 90,
      breakGlassAllowed: true,
    });
  });

  it.each(COMBINATIONS)('falls back to the default for %s in %s when nothing is stored (null or undefined)', (type, environment) => {
    expect(resolveRule(null, type, environment)).toStrictEqual(EXPECTED[type][environment]);
    expect(resolveRule(undefined, type, environment)).toStrictEqual(EXPECTED[type][environment]);
  });

  it('keeps a stored rule whose values are falsy (0 approvals, no break-glass) instead of the default', () => {
    const zeroish: ApprovalRuleValues = {
      approvalsRequired: 0,
      approverGroup: 'SECURITY',
      maxDurationMinutes: 0,
      pendingTtlMinutes: 0,
      breakGlassAllowed: false,
    };
    expect(resolveRule(zeroish, 'SECRET_READ', 'PROD')).toBe(zeroish);
  });
});

describe('BREAK_GLASS_MAX_MINUTES', () => {
  it('is one hour', () => {
    expect(BREAK_GLASS_MAX_MINUTES).toBe(60);
  });
});
