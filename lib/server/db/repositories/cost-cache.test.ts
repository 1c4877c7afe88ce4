import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { cachedOptionalQuery, cachedQuery, type CostCacheDeps } from '@/lib/costs/cache';
import type { CostExplorerPort } from '@/lib/costs/ports';
import { loadCostOverview, refreshCostOverview, type CostDeps } from '@/lib/costs/service';
import { createCostCacheStore } from '@/lib/server/db/repositories/cost-cache';
import { createTestDatabase, testDatabaseKinds } from '@/lib/server/db/test-databases';
import { createSandboxCostExplorer } from '@/lib/server/sandbox/cost-explorer';

const HOUR = 3_600_000;

/** The sandbox explorer, counting the questions it is asked (one per query, however many pages). */
function countingExplorer(now: () => Date) {
  const inner = createSandboxCostExplorer(now);
  const calls: string[] = [];
  const explorer: CostExplorerPort = {
    mode: 'sandbox',
    async getCostAndUsage(query, hook) {
      calls.push(`usage:${query.granularity}:${query.groupBy.map((g) => g.key).join('+')}`);
      // Slow enough that every concurrent viewer arrives while the first fetch runs.
      await new Promise((r) => setTimeout(r, 50));
      return inner.getCostAndUsage(query, hook);
    },
    async getCostForecast(query, hook) {
      calls.push(`forecast:${query.metric}`);
      await new Promise((r) => setTimeout(r, 50));
      return inner.getCostForecast(query, hook);
    },
  };
  return { explorer, calls };
}

describe.each(testDatabaseKinds())('Cost Explorer cache on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => db.drop());

  it('50 concurrent first views on 5 replicas make exactly one Cost Explorer call per query; a second day makes one more', async () => {
    const clock = { t: Date.parse('2026-11-20T09:00:00Z') };
    const now = () => new Date(clock.t);
    const { explorer, calls } = countingExplorer(now);
    const store = createCostCacheStore(db.prisma);
    // Five replicas: each its own process memory (in-flight map) and lease holder name, one database.
    const replicas: CostDeps[] = Array.from({ length: 5 }, (_, i) => ({
      store,
      now,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      refreshMs: 12 * HOUR,
      holder: `replica-${i}`,
      inflight: new Map(),
      mode: 'sandbox',
      explorer,
      source: { kind: 'home' },
      pollMs: 20,
    }));

    const views = await Promise.all(Array.from({ length: 50 }, (_, i) => loadCostOverview(replicas[i % 5]!, { basis: 'unblended' })));

    expect(calls.sort()).toEqual(['forecast:UnblendedCost', 'usage:DAILY:SERVICE', 'usage:DAILY:env+team', 'usage:MONTHLY:SERVICE']);
    expect(new Set(views.map((v) => v.overview.monthToDate)).size).toBe(1);
    expect(views.every((v) => !v.stale)).toBe(true);
    const paid = views[0]!.requestsThisMonth.count;
    expect(paid).toBeGreaterThanOrEqual(4); // each page of an answer is a paid request
    expect(await store.countRequests(new Date('2026-11-01T00:00:00Z'))).toBe(paid);

    // Later the same day, within the refresh interval: no call at all.
    clock.t += 6 * HOUR;
    await Promise.all(replicas.map((r) => loadCostOverview(r, { basis: 'unblended' })));
    expect(calls).toHaveLength(4);

    // The next day: one more call per query, whatever the number of viewers.
    clock.t += 18 * HOUR;
    await Promise.all(Array.from({ length: 50 }, (_, i) => loadCostOverview(replicas[i % 5]!, { basis: 'unblended' })));
    expect(calls).toHaveLength(8);
    expect(calls.slice(4).sort()).toEqual(['forecast:UnblendedCost', 'usage:DAILY:SERVICE', 'usage:DAILY:env+team', 'usage:MONTHLY:SERVICE']);

    // Another basis shares the usage answers (both metrics come in one request): only its forecast is new.
    await loadCostOverview(replicas[0]!, { basis: 'amortized' });
    expect(calls.slice(8)).toEqual(['forecast:AmortizedCost']);
  });

  it('refreshes after the interval, and bounds "refresh now" to once per query per 10 minutes', async () => {
    const clock = { t: Date.parse('2026-11-10T01:00:00Z') };
    const now = () => new Date(clock.t);
    const { explorer, calls } = countingExplorer(now);
    const deps: CostDeps = {
      store: createCostCacheStore(db.prisma),
      now,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      refreshMs: 12 * HOUR,
      holder: 'only',
      inflight: new Map(),
      mode: 'sandbox',
      explorer,
      source: { kind: 'home' },
    };
    const filter = { basis: 'unblended' as const, env: 'prod' as const };
    await loadCostOverview(deps, filter);
    expect(calls).toHaveLength(4);

    clock.t += 5 * 60_000;
    expect((await refreshCostOverview(deps, filter)).refreshed).toBe(0);
    expect(calls).toHaveLength(4);

    clock.t += 6 * 60_000;
    const forced = await refreshCostOverview(deps, filter);
    expect(forced.refreshed).toBe(4);
    expect(calls).toHaveLength(8);
    expect(forced.refreshAllowedAt.getTime()).toBe(clock.t + 10 * 60_000);

    clock.t += 12 * HOUR + 60_000;
    const view = await loadCostOverview(deps, filter);
    expect(calls).toHaveLength(12);
    expect(view.asOf.getTime()).toBe(clock.t);
  });

  it('serves the previous answer, marked stale, while another replica holds the lease', async () => {
    const clock = { t: Date.parse('2026-11-05T10:00:00Z') };
    const now = () => new Date(clock.t);
    const store = createCostCacheStore(db.prisma);
    const base: CostCacheDeps = { store, now, sleep: async () => {}, refreshMs: HOUR, holder: 'a', inflight: new Map(), mode: 'sandbox' };
    let fetches = 0;
    const fetch = async () => ({ n: ++fetches });
    expect((await cachedQuery(base, 'stale-test', fetch)).value).toEqual({ n: 1 });

    clock.t += 2 * HOUR;
    expect(await store.acquireLease('stale-test', 'b', now(), new Date(clock.t + 30_000))).toBe(true);
    const served = await cachedQuery(base, 'stale-test', fetch);
    expect(served).toMatchObject({ value: { n: 1 }, stale: true, refreshed: false });
    expect(fetches).toBe(1);

    // Once that lease has run out (its holder died), the next viewer takes over and fetches.
    clock.t += 31_000;
    expect(await cachedQuery(base, 'stale-test', fetch)).toMatchObject({ value: { n: 2 }, stale: false, refreshed: true });
  });

  it('keeps a week of older answers per query and the whole ledger', async () => {
    const store = createCostCacheStore(db.prisma);
    for (const day of ['2026-06-01', '2026-06-05', '2026-06-09', '2026-06-10']) {
      await store.save('prune', day, { day }, new Date(`${day}T08:00:00Z`), [
        { at: new Date(`${day}T08:00:00Z`), operation: 'GetCostAndUsage', queryKey: 'prune', mode: 'aws' },
      ]);
    }
    const days = await db.prisma.costQueryResult.findMany({ where: { queryKey: 'prune' }, select: { day: true }, orderBy: { day: 'asc' } });
    expect(days.map((d) => d.day)).toEqual(['2026-06-05', '2026-06-09', '2026-06-10']);
    expect(await store.latest('prune')).toMatchObject({ day: '2026-06-10', payload: { day: '2026-06-10' } });
    expect(await db.prisma.costExplorerRequest.count({ where: { queryKey: 'prune' } })).toBe(4);
  });

  it('keeps the backoff of a failed optional query for every replica, and the next answer clears it', async () => {
    const store = createCostCacheStore(db.prisma);
    const clock = { t: Date.parse('2026-09-10T08:00:00Z') };
    const replica = (holder: string): CostCacheDeps => ({
      store,
      now: () => new Date(clock.t),
      sleep: async () => {},
      refreshMs: HOUR,
      holder,
      inflight: new Map(),
      mode: 'aws',
    });
    let calls = 0;
    let fail = true;
    const fetch = async () => {
      calls++;
      if (fail) throw new AppError('UNAVAILABLE', 'GetCostForecast: Service Unavailable');
      return { mean: 1 };
    };
    expect(await cachedOptionalQuery(replica('a'), 'forecast-db', fetch)).toEqual({
      unavailable: true,
      code: 'UNAVAILABLE',
      failedAt: new Date(clock.t),
      retryAt: new Date(clock.t + 5 * 60_000),
    });
    // Another replica (its own memory) reads the failure from the database and does not ask.
    clock.t += 60_000;
    expect(await cachedOptionalQuery(replica('b'), 'forecast-db', fetch)).toMatchObject({ unavailable: true, retryAt: new Date(clock.t + 4 * 60_000) });
    expect(calls).toBe(1);
    clock.t += 4 * 60_000;
    expect(await cachedOptionalQuery(replica('b'), 'forecast-db', fetch)).toMatchObject({ unavailable: true, retryAt: new Date(clock.t + 10 * 60_000) });
    expect(await store.failure('forecast-db')).toMatchObject({ failures: 2, code: 'UNAVAILABLE' });
    expect(calls).toBe(2);
    fail = false;
    clock.t += 10 * 60_000;
    expect(await cachedOptionalQuery(replica('c'), 'forecast-db', fetch)).toMatchObject({ value: { mean: 1 }, refreshed: true });
    expect(await store.failure('forecast-db')).toBeNull();
  });

  it('records the pages a failed fetch already paid for', async () => {
    const store = createCostCacheStore(db.prisma);
    const at = new Date('2026-08-15T00:00:00Z');
    const deps: CostCacheDeps = { store, now: () => at, sleep: async () => {}, refreshMs: HOUR, holder: 'x', inflight: new Map(), mode: 'aws' };
    const before = await store.countRequests(new Date('2026-08-01T00:00:00Z'));
    await expect(
      cachedQuery(deps, 'failing', async (hook) => {
        hook('GetCostAndUsage');
        hook('GetCostAndUsage');
        throw new Error('page 3 failed');
      }),
    ).rejects.toThrow('page 3 failed');
    expect((await store.countRequests(new Date('2026-08-01T00:00:00Z'))) - before).toBe(2);
    expect(await store.latest('failing')).toBeNull();
    // The lease was given back: the next try runs at once.
    expect(await store.acquireLease('failing', 'y', at, new Date(at.getTime() + 1000))).toBe(true);
  });
});
