import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '@/lib/security/rate-limit';

describe('createRateLimiter', () => {
  it('allows a burst of `capacity`, then refuses with the seconds until the next token', () => {
    const limiter = createRateLimiter({ perMinute: 6, capacity: 3 });
    const t = 1_000_000;
    expect([1, 2, 3].map(() => limiter.take('alice', t).allowed)).toEqual([true, true, true]);
    expect(limiter.take('alice', t)).toEqual({ allowed: false, retryAfterSeconds: 10, remaining: 0 });
    // Another caller has their own bucket.
    expect(limiter.take('bob', t).allowed).toBe(true);
    // One token comes back every 10 s.
    expect(limiter.take('alice', t + 9_000).allowed).toBe(false);
    expect(limiter.take('alice', t + 10_000 + 9_000).allowed).toBe(true);
  });

  it('never holds more than capacity, however long the caller was away', () => {
    const limiter = createRateLimiter({ perMinute: 60, capacity: 2 });
    limiter.take('a', 0);
    const later = 60 * 60_000;
    expect([1, 2, 3].map(() => limiter.take('a', later).allowed)).toEqual([true, true, false]);
  });

  it('keeps memory bounded by forgetting the least recent caller', () => {
    const limiter = createRateLimiter({ perMinute: 1, capacity: 1, maxKeys: 2 });
    expect(limiter.take('a', 0).allowed).toBe(true);
    expect(limiter.take('b', 0).allowed).toBe(true);
    expect(limiter.take('c', 0).allowed).toBe(true);
    // "a" was forgotten: a fresh bucket; "c" was not.
    expect(limiter.take('a', 0).allowed).toBe(true);
    expect(limiter.take('c', 0).allowed).toBe(false);
  });
});
