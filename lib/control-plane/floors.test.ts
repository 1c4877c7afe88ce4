import { describe, expect, it } from 'vitest';
import { assertRuleWithinFloors, clampRuleToFloors, DEFAULT_RULE_FLOORS } from '@/lib/control-plane/floors';
import { AppError } from '@/lib/errors';

function errorOf(fn: () => void): AppError {
  try {
    fn();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('did not throw');
}

describe('assertRuleWithinFloors', () => {
  it('refuses prod with one approval, naming the floor', () => {
    const e = errorOf(() => assertRuleWithinFloors('SECRET_READ', 'PROD', { approvalsRequired: 1, maxDurationMinutes: 60 }, DEFAULT_RULE_FLOORS));
    expect(e.code).toBe('UNPROCESSABLE');
    expect(e.message).toBe('SECRET_READ/PROD: at least 2 approvals are required in prod (configured floor); 1 is below it.');
  });

  it('refuses prod access longer than 8 h, naming the floor', () => {
    const e = errorOf(() => assertRuleWithinFloors('SECRET_READ', 'PROD', { approvalsRequired: 2, maxDurationMinutes: 90 * 24 * 60 }, DEFAULT_RULE_FLOORS));
    expect(e.message).toBe('SECRET_READ/PROD: access in prod lasts at most 8 h (configured floor); 2160 h is above it.');
  });

  it('accepts rules at or inside the floors, and long dev access (no duration floor there by default)', () => {
    expect(() => assertRuleWithinFloors('ROLE', 'PROD', { approvalsRequired: 2, maxDurationMinutes: 480 }, DEFAULT_RULE_FLOORS)).not.toThrow();
    expect(() => assertRuleWithinFloors('ROLE', 'DEV', { approvalsRequired: 1, maxDurationMinutes: 129_600 }, DEFAULT_RULE_FLOORS)).not.toThrow();
  });
});

describe('clampRuleToFloors', () => {
  it('raises approvals and shortens the maximum of a rule below the floors, and leaves others alone', () => {
    const weak = { approvalsRequired: 1, maxDurationMinutes: 129_600, approverGroup: 'SECURITY' as const };
    expect(clampRuleToFloors(weak, 'PROD', DEFAULT_RULE_FLOORS)).toEqual({ approvalsRequired: 2, maxDurationMinutes: 480, approverGroup: 'SECURITY' });
    expect(clampRuleToFloors(weak, 'DEV', DEFAULT_RULE_FLOORS)).toEqual(weak);
  });
});
