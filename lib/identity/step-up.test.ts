import { describe, expect, it } from 'vitest';
import { assertRecentSignIn, isStepUpFresh, needsStepUp } from '@/lib/identity/step-up';

const now = new Date('2026-12-07T10:00:00Z');
const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

describe('isStepUpFresh', () => {
  it.each([
    ['just now', ago(0), true],
    ['14 minutes ago', ago(14), true],
    ['exactly at the limit', ago(15), true],
    ['a second past the limit', new Date(ago(15).getTime() - 1000), false],
    ['an hour ago', ago(60), false],
    ['30 s in the future (clock skew)', new Date(now.getTime() + 30_000), true],
    ['2 minutes in the future', new Date(now.getTime() + 120_000), false],
    ['unknown (a session from before auth time, a token)', null, false],
    ['absent', undefined, false],
    ['an invalid date', new Date('nope'), false],
  ])('%s', (_label, authTime, fresh) => {
    expect(isStepUpFresh(authTime, now, 15)).toBe(fresh);
  });

  it('follows the configured limit', () => {
    expect(isStepUpFresh(ago(20), now, 30)).toBe(true);
    expect(isStepUpFresh(ago(2), now, 1)).toBe(false);
  });
});

describe('assertRecentSignIn', () => {
  it('needs a recent sign-in for prod only', () => {
    expect(needsStepUp('PROD')).toBe(true);
    expect(needsStepUp('STAGING')).toBe(false);
    expect(needsStepUp('DEV')).toBe(false);
    expect(() => assertRecentSignIn({ signedInAt: ago(60) }, 'STAGING', now, 15)).not.toThrow();
    expect(() => assertRecentSignIn({}, 'DEV', now, 15)).not.toThrow();
    expect(() => assertRecentSignIn({ signedInAt: ago(5) }, 'PROD', now, 15)).not.toThrow();
  });

  it('refuses a stale or unknown sign-in on prod with STEP_UP_REQUIRED', () => {
    for (const actor of [{ signedInAt: ago(16) }, { signedInAt: null }, {}]) {
      expect(() => assertRecentSignIn(actor, 'PROD', now, 15)).toThrow(expect.objectContaining({ code: 'STEP_UP_REQUIRED', details: { maxAgeMinutes: 15 } }));
    }
  });
});
