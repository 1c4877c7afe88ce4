import { describe, expect, it } from 'vitest';
import { REQUEST_STATUSES, type RequestStatus } from '@/lib/access/model';
import { assertTransition, canTransition, isFinal, TRANSITIONS } from '@/lib/access/state-machine';
import { AppError } from '@/lib/errors';

// Written out by hand from docs (005-access-requests); not derived from TRANSITIONS, so a change to
// the table in the code must be made here too.
const ALLOWED: ReadonlySet<string> = new Set([
  'PENDING->APPROVED',
  'PENDING->REJECTED',
  'PENDING->CANCELLED',
  'PENDING->EXPIRED',
  'APPROVED->ACTIVE',
  'APPROVED->ENDED',
  'ACTIVE->ENDED',
]);

const PAIRS: [RequestStatus, RequestStatus][] = REQUEST_STATUSES.flatMap((from) => REQUEST_STATUSES.map((to): [RequestStatus, RequestStatus] => [from, to]));
const allowedPairs = PAIRS.filter(([from, to]) => ALLOWED.has(`${from}->${to}`));
const disallowedPairs = PAIRS.filter(([from, to]) => !ALLOWED.has(`${from}->${to}`));

function thrownBy(fn: () => void): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('the expected table', () => {
  it('covers all 49 pairs of the 7 statuses, 7 allowed and 42 not', () => {
    expect(REQUEST_STATUSES).toEqual(['PENDING', 'APPROVED', 'REJECTED', 'CANCELLED', 'EXPIRED', 'ACTIVE', 'ENDED']);
    expect(PAIRS).toHaveLength(49);
    expect(allowedPairs).toHaveLength(7);
    expect(disallowedPairs).toHaveLength(42);
  });

  it('names only real statuses', () => {
    for (const pair of ALLOWED) {
      const [from, to] = pair.split('->');
      expect(REQUEST_STATUSES).toContain(from);
      expect(REQUEST_STATUSES).toContain(to);
    }
  });
});

describe('canTransition', () => {
  it.each(allowedPairs)('allows %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it.each(disallowedPairs)('refuses %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it.each(REQUEST_STATUSES.map((s) => [s]))('refuses the self-transition %s -> itself', (status) => {
    expect(canTransition(status, status)).toBe(false);
  });

  it('matches the exported TRANSITIONS table exactly', () => {
    const fromTable = Object.entries(TRANSITIONS).flatMap(([from, tos]) => tos.map((to) => `${from}->${to}`));
    expect(new Set(fromTable)).toEqual(ALLOWED);
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...REQUEST_STATUSES].sort());
  });
});

describe('assertTransition', () => {
  it.each(allowedPairs)('does not throw for %s -> %s', (from, to) => {
    expect(assertTransition(from, to)).toBeUndefined();
  });

  it.each(disallowedPairs)('throws CONFLICT for %s -> %s', (from, to) => {
    const error = thrownBy(() => assertTransition(from, to));
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe('CONFLICT');
    expect(appError.message).toBe(`The request is ${from.toLowerCase()}; it cannot become ${to.toLowerCase()}.`);
    expect(appError.details).toEqual({ from, to });
  });
});

describe('isFinal', () => {
  const FINAL: Record<RequestStatus, boolean> = {
    PENDING: false,
    APPROVED: false,
    ACTIVE: false,
    REJECTED: true,
    CANCELLED: true,
    EXPIRED: true,
    ENDED: true,
  };

  it.each(REQUEST_STATUSES.map((s) => [s, FINAL[s]] as const))('isFinal(%s) is %s', (status, expected) => {
    expect(isFinal(status)).toBe(expected);
  });

  it('agrees with canTransition: a status is final exactly when no transition leaves it', () => {
    for (const from of REQUEST_STATUSES) {
      expect(isFinal(from)).toBe(!REQUEST_STATUSES.some((to) => canTransition(from, to)));
    }
  });
});
