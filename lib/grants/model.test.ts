import { describe, expect, it } from 'vitest';
import { grantWorkDueBy, type GrantStatus } from '@/lib/grants/model';

const T = new Date('2026-11-29T10:00:00Z');
const at = (minutes: number) => new Date(T.getTime() + minutes * 60_000);
const grant = (status: GrantStatus, startsAt: Date, nextAttemptAt: Date) => ({ status, startsAt, nextAttemptAt });

describe('grantWorkDueBy', () => {
  it.each([
    ['a removal in progress is always due', grant('ENDING', at(-60), at(600)), true],
    ['a grant to apply now', grant('PENDING', at(-1), at(-1)), true],
    ['a grant starting within the window', grant('PENDING', at(4), at(0)), true],
    ['a grant scheduled days ahead', grant('PENDING', at(3 * 24 * 60), at(0)), false],
    ['a pending grant whose next attempt is later', grant('PENDING', at(0), at(15)), false],
    ['a failed grant retried within the window', grant('GRANT_FAILED', at(-10), at(2)), true],
    ['a failed grant retried in a quarter of an hour', grant('GRANT_FAILED', at(-10), at(15)), false],
    ['an active grant (its end is the job too, but nothing to watch)', grant('ACTIVE', at(-10), at(0)), false],
    ['an ended grant', grant('ENDED', at(-10), at(0)), false],
  ])('%s', (_name, g, expected) => {
    expect(grantWorkDueBy(g, at(5))).toBe(expected);
  });
});
