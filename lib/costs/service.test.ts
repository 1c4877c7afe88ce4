import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { FORCED_REFRESH_MIN_MS, failureBackoffMs } from '@/lib/costs/cache';
import { loadCostOverview, refreshCostOverview, type CostDeps } from '@/lib/costs/service';
import type { CostAndUsageQuery, CostExplorerPort, CostForecastQuery } from '@/lib/costs/ports';
import { cannedCostExplorer, memoryCostCacheStore } from '@/lib/costs/test-fakes';

const MIN = 60_000;
const TODAY = '2026-11-20';

/** Five replicas (own in-flight map and lease name each) on one store, a clock that moves when told. */
function setup() {
  const clock = { t: Date.parse(`${TODAY}T09:00:00Z`) };
  const mem = memoryCostCacheStore();
  const ce = cannedCostExplorer(TODAY);
  const replicas: CostDeps[] = Array.from({ length: 5 }, (_, i) => ({
    store: mem.store,
    explorer: ce.explorer,
    source: { kind: 'home' },
    mode: 'aws',
    now: () => new Date(clock.t),
    // A waiter's poll lets the other replicas run; the clock stays put (the fetches take ticks, not minutes).
    sleep: () => new Promise((r) => setTimeout(r, 1)),
    refreshMs: 12 * 60 * MIN,
    holder: `replica-${i}`,
    inflight: new Map(),
    pollMs: 1,
  }));
  const viewers = (n: number) => Promise.all(Array.from({ length: n }, (_, i) => loadCostOverview(replicas[i % replicas.length]!, { basis: 'unblended' })));
  return { clock, mem, ce, replicas, viewers };
}

const outage = () => new AppError('UNAVAILABLE', 'Cost Explorer GetCostForecast: Service Unavailable', { awsError: 'ServiceUnavailable' });

describe('cost overview when the forecast fails', () => {
  it('shows and caches the billed figures with the forecast marked unavailable; 50 viewers on 5 replicas make one forecast call', async () => {
    const { clock, mem, ce, viewers } = setup();
    ce.state.failForecast = outage();

    const views = await viewers(50);

    expect(ce.calls).toEqual({ usage: 3, forecast: 1 });
    for (const v of views) {
      expect(v.overview.monthToDate).toBe(10);
      expect(v.overview.lastMonth).toBe(0);
      expect(v.overview.monthly).toHaveLength(1);
      expect(v.overview.forecast).toBeNull();
      expect(v.forecastUnavailable).toEqual({ code: 'UNAVAILABLE', failedAt: new Date(clock.t), retryAt: new Date(clock.t + 5 * MIN) });
    }
    // The billed answers are stored; the forecast is not, its failure is.
    expect([...mem.rows.keys()].sort()).toEqual(['daily-by-env-team|env=;team=', 'daily-by-service|env=;team=', 'monthly-by-service|env=;team=']);
    expect(mem.failures.get('forecast|unblended|env=;team=')).toMatchObject({ failures: 1, code: 'UNAVAILABLE' });
    // "Data as of" is the billed answers' time; only the billed requests were paid for.
    expect(views[0]!.asOf.getTime()).toBe(clock.t);
    expect(mem.requests.map((r) => r.operation)).toEqual(['GetCostAndUsage', 'GetCostAndUsage', 'GetCostAndUsage']);

    // Within the backoff: the billed answers come from the cache and nobody asks for the forecast.
    clock.t += 4 * MIN;
    const later = await viewers(50);
    expect(ce.calls).toEqual({ usage: 3, forecast: 1 });
    expect(later.every((v) => v.overview.forecast === null && v.forecastUnavailable?.retryAt.getTime() === clock.t + MIN)).toBe(true);
  });

  it('asks again once the backoff has passed (one call for every viewer), doubling the wait while it keeps failing, and shows the forecast once it answers', async () => {
    const { clock, mem, ce, viewers } = setup();
    ce.state.failForecast = outage();
    await viewers(10);
    const firstFailure = clock.t;

    clock.t = firstFailure + 5 * MIN;
    const retried = await viewers(50);
    expect(ce.calls.forecast).toBe(2);
    expect(retried[0]!.forecastUnavailable).toEqual({ code: 'UNAVAILABLE', failedAt: new Date(clock.t), retryAt: new Date(clock.t + 10 * MIN) });
    expect(mem.failures.get('forecast|unblended|env=;team=')!.failures).toBe(2);

    clock.t += 9 * MIN;
    await viewers(50);
    expect(ce.calls.forecast).toBe(2);

    ce.state.failForecast = null;
    clock.t += MIN;
    const healed = await viewers(50);
    expect(ce.calls).toEqual({ usage: 3, forecast: 3 });
    expect(healed.every((v) => v.forecastUnavailable === null && v.overview.forecast?.month.mean === 100)).toBe(true);
    expect(mem.failures.size).toBe(0);
    // Billed answers were never fetched again: they stayed fresh in the cache throughout.
    expect(mem.requests.filter((r) => r.operation === 'GetCostAndUsage')).toHaveLength(3);
  });

  it('lets "refresh now" retry a failed forecast after 10 minutes, not before, even when the backoff is longer', async () => {
    const { clock, ce, replicas, viewers } = setup();
    ce.state.failForecast = new AppError('RATE_LIMITED', 'Cost Explorer GetCostForecast was throttled by AWS; try again later', {
      awsError: 'LimitExceededException',
    });
    await viewers(1);
    clock.t += failureBackoffMs(1);
    await viewers(1);
    clock.t += failureBackoffMs(2);
    await viewers(1);
    expect(ce.calls.forecast).toBe(3);
    expect(failureBackoffMs(3)).toBe(20 * MIN);

    clock.t += FORCED_REFRESH_MIN_MS - MIN;
    // The billed answers are 24 minutes old and are fetched again; the forecast failed 9 minutes ago and is not.
    expect((await refreshCostOverview(replicas[0]!, { basis: 'unblended' })).refreshed).toBe(3);
    expect(ce.calls).toEqual({ usage: 6, forecast: 3 });

    ce.state.failForecast = null;
    clock.t += MIN;
    expect((await refreshCostOverview(replicas[1]!, { basis: 'unblended' })).refreshed).toBe(1);
    expect(ce.calls).toEqual({ usage: 6, forecast: 4 });
    expect((await viewers(1))[0]!.forecastUnavailable).toBeNull();
  });

  it('caps the backoff at an hour', () => {
    expect([1, 2, 3, 4, 5, 6, 20].map((n) => failureBackoffMs(n) / MIN)).toEqual([5, 10, 20, 40, 60, 60, 60]);
  });

  it('still fails the overview when a billed question fails (there is nothing to show without it)', async () => {
    const { ce, replicas } = setup();
    ce.explorer.getCostAndUsage = async () => {
      throw outage();
    };
    await expect(loadCostOverview(replicas[0]!, { basis: 'unblended' })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});

describe('costs across accounts', () => {
  const DEV = { accountId: '111111111111', alias: 'dev', environments: ['dev' as const] };
  const STAGING = { accountId: '222222222222', alias: 'staging', environments: ['staging' as const] };
  const PROD = { accountId: '333333333333', alias: 'prod', environments: ['prod' as const] };

  /** A Cost Explorer answering every question with `groups(query)` for this month, recording the questions. */
  function explorer(groups: (q: CostAndUsageQuery) => { keys: string[]; amount: number }[]) {
    const asked: CostAndUsageQuery[] = [];
    const forecasts: CostForecastQuery[] = [];
    const port: CostExplorerPort = {
      mode: 'aws',
      async getCostAndUsage(q, onRequest) {
        asked.push(q);
        onRequest('GetCostAndUsage');
        const start = q.granularity === 'DAILY' ? TODAY : '2026-11-01';
        return {
          periods: [
            {
              start,
              end: start,
              estimated: true,
              groups: groups(q).map((g) => ({ keys: g.keys, amounts: { UnblendedCost: g.amount, AmortizedCost: g.amount } })),
            },
          ],
        };
      },
      async getCostForecast(q, onRequest) {
        forecasts.push(q);
        onRequest('GetCostForecast');
        return { total: { mean: 10, lower: 5, upper: 15 }, periods: [{ start: '2026-12-01', end: '2027-01-01', mean: 10, lower: 5, upper: 15 }] };
      },
    };
    return { port, asked, forecasts };
  }

  function deps(explorerPort: CostExplorerPort, source: CostDeps['source']): CostDeps {
    const mem = memoryCostCacheStore();
    return {
      store: mem.store,
      explorer: explorerPort,
      source,
      mode: 'aws',
      now: () => new Date(`${TODAY}T09:00:00Z`),
      sleep: () => new Promise((r) => setTimeout(r, 1)),
      refreshMs: 12 * 60 * MIN,
      holder: 'replica-0',
      inflight: new Map(),
      pollMs: 1,
    };
  }

  it('management: asks the payer account for the configured accounts only, and an environment’s cost is its linked account’s', async () => {
    // The payer answers by linked account; the unconfigured account 999… must neither be asked for nor shown.
    const payer = explorer((q) =>
      q.groupBy[0]?.key === 'LINKED_ACCOUNT'
        ? [
            { keys: ['111111111111', 'payments'], amount: 5 },
            { keys: ['333333333333', 'payments'], amount: 40 },
            { keys: ['999999999999', 'payments'], amount: 1000 },
          ]
        : [{ keys: ['AWS Lambda'], amount: 45 }],
    );
    const d = deps(payer.port, { kind: 'management', accounts: [DEV, STAGING, PROD] });
    const view = await loadCostOverview(d, { basis: 'unblended' });
    const tagsQuestion = payer.asked.find((q) => q.groupBy[0]?.key === 'LINKED_ACCOUNT')!;
    expect(tagsQuestion.groupBy).toEqual([
      { type: 'DIMENSION', key: 'LINKED_ACCOUNT' },
      { type: 'TAG', key: 'team' },
    ]);
    expect(payer.asked.map((q) => q.filter)).toEqual(Array(3).fill({ linkedAccounts: ['111111111111', '222222222222', '333333333333'] }));
    expect(payer.forecasts.map((q) => q.filter)).toEqual([{ linkedAccounts: ['111111111111', '222222222222', '333333333333'] }]);
    expect(view.overview.byEnv.map((b) => [b.key, b.thisMonth])).toEqual([
      ['prod', 40],
      ['dev', 5],
    ]);
    expect(view.accounts).toEqual({ source: 'management', accounts: [DEV, STAGING, PROD] });

    // Filtering on an environment asks for its account alone (not the env tag).
    const prodOnly = deps(payer.port, { kind: 'management', accounts: [DEV, STAGING, PROD] });
    payer.asked.length = 0;
    await loadCostOverview(prodOnly, { basis: 'unblended', env: 'prod' });
    expect(payer.asked.map((q) => q.filter)).toEqual(Array(3).fill({ linkedAccounts: ['333333333333'] }));
  });

  it('each-account: asks each account’s own Cost Explorer, adds them up, and an environment’s cost is its account’s whatever its tags', async () => {
    const dev = explorer((q) => (q.groupBy[0]?.type === 'TAG' ? [{ keys: ['', 'payments'], amount: 7 }] : [{ keys: ['AWS Lambda'], amount: 7 }]));
    const prod = explorer((q) =>
      q.groupBy[0]?.type === 'TAG'
        ? [
            { keys: ['prod', 'payments'], amount: 30 },
            { keys: ['', 'search'], amount: 3 },
          ]
        : [{ keys: ['AWS Lambda'], amount: 33 }],
    );
    const source = {
      kind: 'each-account' as const,
      accounts: [
        { ...DEV, explorer: dev.port },
        { ...PROD, explorer: prod.port },
      ],
    };
    const view = await loadCostOverview(deps(dev.port, source), { basis: 'unblended' });
    expect(dev.asked).toHaveLength(3);
    expect(prod.asked).toHaveLength(3);
    expect(prod.asked.every((q) => q.filter === undefined)).toBe(true);
    expect(view.overview.byEnv.map((b) => [b.key, b.thisMonth])).toEqual([
      ['prod', 33],
      ['dev', 7],
    ]);
    expect(view.overview.monthToDate).toBe(40);
    expect(view.overview.forecast?.next[0]).toMatchObject({ month: '2026-12', mean: 20, lower: 10, upper: 30 });

    // One environment: only its account is asked.
    const d = deps(dev.port, source);
    dev.asked.length = 0;
    prod.asked.length = 0;
    const onlyDev = await loadCostOverview(d, { basis: 'unblended', env: 'dev' });
    expect(prod.asked).toHaveLength(0);
    expect(dev.asked.every((q) => q.filter === undefined)).toBe(true);
    expect(onlyDev.overview.monthToDate).toBe(7);
  });

  it('an account shared by two environments is split by the env tag when one of them is asked for', async () => {
    const shared = { accountId: '111111111111', alias: 'nonprod', environments: ['dev' as const, 'staging' as const] };
    const payer = explorer(() => [{ keys: ['111111111111', 'payments'], amount: 9 }]);
    const view = await loadCostOverview(deps(payer.port, { kind: 'management', accounts: [shared, PROD] }), { basis: 'unblended' });
    expect(view.overview.byEnv.map((b) => b.key)).toEqual(['dev+staging']);
    payer.asked.length = 0;
    await loadCostOverview(deps(payer.port, { kind: 'management', accounts: [shared, PROD] }), { basis: 'unblended', env: 'staging' });
    expect(payer.asked.map((q) => q.filter)).toEqual(Array(3).fill({ env: 'staging', linkedAccounts: ['111111111111'] }));
  });
});
