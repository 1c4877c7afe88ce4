import { describe, expect, it, vi } from 'vitest';
import { AppError } from '@/lib/errors';
import { backoffMs, createSharedCache } from '@/lib/alarms/cache';
import { manualClock, memoryCacheStore } from '@/lib/alarms/test-fakes';

const POLICY = { intervalMs: 30_000 };

function setup() {
  const store = memoryCacheStore();
  const clock = manualClock();
  const replica = (owner: string) => createSharedCache({ store, clock, owner });
  return { store, clock, replica };
}

/** A source that answers n (its call count) after a tick, like a network call. */
function countingSource() {
  let calls = 0;
  const fetch = vi.fn(async () => {
    calls++;
    await new Promise((r) => setImmediate(r));
    return { call: calls };
  });
  return fetch;
}

describe('createSharedCache', () => {
  it('makes one call for 50 concurrent callers, and they all get its value', async () => {
    const { replica } = setup();
    const cache = replica('a');
    const fetch = countingSource();

    const results = await Promise.all(Array.from({ length: 50 }, () => cache.get('alarms:eu-central-1', POLICY, fetch)));

    expect(fetch).toHaveBeenCalledTimes(1);
    expect(new Set(results.map((r) => r.value?.call))).toEqual(new Set([1]));
    expect(results[0]).toMatchObject({ stale: false, error: null, fetchedAt: new Date('2026-11-30T09:00:00.000Z') });
  });

  it('makes one call per interval across replicas sharing the store', async () => {
    const { replica, clock } = setup();
    const replicas = ['a', 'b', 'c'].map(replica);
    const fetch = countingSource();
    const burst = () => Promise.all(replicas.flatMap((r) => Array.from({ length: 20 }, () => r.get('k', POLICY, fetch))));

    await burst();
    expect(fetch).toHaveBeenCalledTimes(1);
    for (let s = 0; s < 29; s++) {
      clock.advance(1_000);
      await burst();
    }
    expect(fetch).toHaveBeenCalledTimes(1);
    clock.advance(1_000);
    // The replica that claimed waits for the new value; the others answer with the last one meanwhile
    // and look again within a quarter second.
    const during = await burst();
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(new Set(during.map((r) => r.value?.call))).toEqual(new Set([1, 2]));
    clock.advance(250);
    const after = await burst();
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(new Set(after.map((r) => r.value?.call))).toEqual(new Set([2]));
  });

  it('lets a replica without a value wait for the first fetch of another', async () => {
    const { replica, store } = setup();
    let release!: () => void;
    const slow = vi.fn(() => new Promise<string>((resolve) => (release = () => resolve('first'))));
    const first = replica('a').get('k', POLICY, slow);
    await vi.waitFor(() => expect(store.rows.get('k')?.leaseUntil).toBeTruthy());
    const other = vi.fn(async () => 'second');
    // The first fetch finishes while the waiter is polling the store (its third look).
    const peek = store.peek.bind(store);
    let peeks = 0;
    store.peek = async (key) => {
      const meta = await peek(key);
      if (++peeks === 3) release();
      return meta;
    };
    const waiting = replica('b').get('k', POLICY, other);
    expect((await first).value).toBe('first');
    expect((await waiting).value).toBe('first');
    expect(other).not.toHaveBeenCalled();
  });

  it('keeps the last good value on failure, marks it stale with the error and since when, and backs off', async () => {
    const { replica, clock } = setup();
    const cache = replica('a');
    const fetch = vi.fn(async () => 'good');
    await cache.get('k', POLICY, fetch);

    const throttled = vi.fn(async (): Promise<string> => {
      throw new AppError('RATE_LIMITED', 'CloudWatch DescribeAlarms was throttled by AWS; it will be retried');
    });
    clock.advance(30_000);
    const failedAt = clock.now();
    const first = await cache.get('k', POLICY, throttled);
    expect(first).toEqual({
      value: 'good',
      fetchedAt: new Date('2026-11-30T09:00:00.000Z'),
      stale: true,
      error: { code: 'RATE_LIMITED', message: 'CloudWatch DescribeAlarms was throttled by AWS; it will be retried', since: failedAt },
    });

    // Backoff: no new attempt for 2 intervals after the first failure, however many callers ask.
    for (let s = 0; s < 59; s++) {
      clock.advance(1_000);
      await Promise.all([cache.get('k', POLICY, throttled), replica('b').get('k', POLICY, throttled)]);
    }
    expect(throttled).toHaveBeenCalledTimes(1);
    clock.advance(1_000);
    const second = await cache.get('k', POLICY, throttled);
    expect(throttled).toHaveBeenCalledTimes(2);
    expect(second.error?.since).toEqual(failedAt);

    // The next wait doubles; then a success clears the error.
    clock.advance(119_000);
    await cache.get('k', POLICY, fetch);
    expect(fetch).toHaveBeenCalledTimes(1);
    clock.advance(1_000);
    const recovered = await cache.get('k', POLICY, async () => 'fresh');
    expect(recovered).toMatchObject({ value: 'fresh', stale: false, error: null });
  });

  it('reports a failure with no value ever fetched', async () => {
    const { replica } = setup();
    const result = await replica('a').get('k', POLICY, async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:4566');
    });
    expect(result).toMatchObject({ value: null, fetchedAt: null, stale: true, error: { code: 'UNAVAILABLE', message: 'connect ECONNREFUSED 127.0.0.1:4566' } });
  });

  it('marks a value older than two intervals stale', async () => {
    const { replica, store, clock } = setup();
    const cache = replica('a');
    await cache.get('k', POLICY, async () => 'v');
    // Another replica holds a lease it never finishes: this one keeps serving the old value.
    clock.advance(61_000);
    store.rows.get('k')!.leaseUntil = new Date(clock.now().getTime() + 60_000);
    store.rows.get('k')!.nextFetchAt = clock.now();
    const result = await replica('b').get('k', POLICY, async () => 'never');
    expect(result).toMatchObject({ value: 'v', stale: true, error: null });
  });

  it('edits the stored value for every replica, and another replica sees the edit within seconds', async () => {
    const { replica, clock } = setup();
    const a = replica('a');
    const b = replica('b');
    await a.get('k', POLICY, async () => ({ n: 1 }));
    await b.get('k', POLICY, async () => ({ n: 99 }));

    expect(await a.update<{ n: number }>('k', (v) => ({ n: v.n + 1 }))).toBe(true);
    expect((await a.get('k', POLICY, async () => ({ n: 99 }))).value).toEqual({ n: 2 });
    clock.advance(5_000);
    expect((await b.get('k', POLICY, async () => ({ n: 99 }))).value).toEqual({ n: 2 });
    expect(await a.update('missing', (v) => v)).toBe(false);
  });
});

describe('backoffMs', () => {
  it('doubles the interval per failure up to the cap', () => {
    expect([1, 2, 3, 4, 5].map((f) => backoffMs(f, 30_000))).toEqual([60_000, 120_000, 240_000, 300_000, 300_000]);
    expect(backoffMs(1, 600_000)).toBe(600_000);
  });
});
