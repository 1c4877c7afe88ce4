import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { FORCED_REFRESH_MIN_MS, failureBackoffMs } from '@/lib/costs/cache';
import { loadCostOverview, refreshCostOverview, type CostDeps } from '@/lib/costs/service';
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
    expect([...mem.rows.keys()].sort()).toEqual(['daily-by-service|env=;team=', 'monthly-by-env-team|env=;team=', 'monthly-by-service|env=;team=']);
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
