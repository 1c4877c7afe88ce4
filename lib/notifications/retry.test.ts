import { describe, expect, it } from 'vitest';
import { nextAttemptAt, parseRetryAfter, retryDelayMs } from '@/lib/notifications/retry';

const now = new Date('2026-11-29T09:00:00Z');

describe('retryDelayMs', () => {
  it('doubles from 30 s up to one hour, between half and all of the ceiling', () => {
    const ceilings = [30, 60, 120, 240, 480, 960, 1920, 3600, 3600].map((s) => s * 1000);
    ceilings.forEach((ceiling, i) => {
      expect(retryDelayMs(i + 1, () => 0)).toBe(ceiling / 2);
      expect(retryDelayMs(i + 1, () => 0.999999)).toBeCloseTo(ceiling, -1);
      const d = retryDelayMs(i + 1);
      expect(d).toBeGreaterThanOrEqual(ceiling / 2);
      expect(d).toBeLessThanOrEqual(ceiling);
    });
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates, capped at one hour', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Sun, 29 Nov 2026 09:02:00 GMT', now)).toBe(120_000);
    expect(parseRetryAfter('Sun, 29 Nov 2026 08:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('999999', now)).toBe(3_600_000);
  });

  it('ignores a missing or unreadable value', () => {
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('', now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
  });
});

describe('nextAttemptAt', () => {
  it('waits the backoff, or longer when the receiver asked for it', () => {
    expect(nextAttemptAt(now, 1, null, () => 0).getTime()).toBe(now.getTime() + 15_000);
    expect(nextAttemptAt(now, 1, 120_000, () => 1).getTime()).toBe(now.getTime() + 120_000);
    expect(nextAttemptAt(now, 8, 120_000, () => 0).getTime()).toBe(now.getTime() + 1_800_000);
  });
});
