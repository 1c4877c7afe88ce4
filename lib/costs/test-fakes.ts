import type { CachedRow, CostAndUsage, CostCacheStore, CostExplorerPort, CostForecast, PaidRequest, QueryFailure } from '@/lib/costs/ports';

// In-memory implementations of the cost ports for tests; the database store is tested against real
// databases in lib/server/db/repositories/cost-cache.test.ts.

const tick = () => new Promise((r) => setImmediate(r));

/** The CostCacheStore contract in memory, each call a tick late like a database round trip. */
export function memoryCostCacheStore() {
  const rows = new Map<string, CachedRow<unknown>[]>();
  const leases = new Map<string, { holder: string; until: Date }>();
  const failures = new Map<string, QueryFailure>();
  const requests: PaidRequest[] = [];
  const store: CostCacheStore = {
    async latest<T>(queryKey: string) {
      await tick();
      const all = rows.get(queryKey) ?? [];
      return (
        (all.reduce<CachedRow<unknown> | null>((newest, r) => (!newest || r.fetchedAt > newest.fetchedAt ? r : newest), null) as CachedRow<T> | null) ?? null
      );
    },
    async acquireLease(queryKey, holder, now, until) {
      await tick();
      const lease = leases.get(queryKey);
      if (lease && lease.until > now) return false;
      leases.set(queryKey, { holder, until });
      return true;
    },
    async releaseLease(queryKey, holder) {
      await tick();
      if (leases.get(queryKey)?.holder === holder) leases.delete(queryKey);
    },
    async failure(queryKey) {
      await tick();
      return failures.get(queryKey) ?? null;
    },
    async recordFailure(queryKey, failure) {
      await tick();
      failures.set(queryKey, failure);
    },
    async save(queryKey, day, payload, fetchedAt, paid) {
      await tick();
      failures.delete(queryKey);
      rows.set(queryKey, [...(rows.get(queryKey) ?? []).filter((r) => r.day !== day), { day, payload, fetchedAt }]);
      requests.push(...paid);
    },
    async recordRequests(paid) {
      await tick();
      requests.push(...paid);
    },
    async countRequests(since) {
      await tick();
      return requests.filter((r) => r.at >= since).length;
    },
  };
  return { store, rows, failures, requests };
}

const usage = (start: string, amount: number): CostAndUsage => ({
  periods: [{ start, end: start, estimated: true, groups: [{ keys: ['AWS Lambda', 'prod'], amounts: { UnblendedCost: amount, AmortizedCost: amount } }] }],
});

/**
 * A Cost Explorer with canned answers that counts its calls; `failForecast` makes GetCostForecast
 * fail (an outage: nothing billed). Each call takes a few ticks, so concurrent viewers overlap.
 */
export function cannedCostExplorer(today: string) {
  const calls = { usage: 0, forecast: 0 };
  const state = { failForecast: null as Error | null };
  const forecast: CostForecast = {
    total: { mean: 90, lower: 80, upper: 100 },
    periods: [{ start: today, end: `${today.slice(0, 8)}28`, mean: 90, lower: 80, upper: 100 }],
  };
  const explorer: CostExplorerPort = {
    mode: 'aws',
    async getCostAndUsage(query, onRequest) {
      calls.usage++;
      for (let i = 0; i < 5; i++) await tick();
      onRequest('GetCostAndUsage');
      return usage(today, query.granularity === 'DAILY' ? 10 : 300);
    },
    async getCostForecast(_query, onRequest) {
      calls.forecast++;
      for (let i = 0; i < 5; i++) await tick();
      if (state.failForecast) throw state.failForecast;
      onRequest('GetCostForecast');
      return forecast;
    },
  };
  return { explorer, calls, state };
}
