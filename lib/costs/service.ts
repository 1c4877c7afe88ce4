import { buildOverview, overviewQueries, type CostOverview } from '@/lib/costs/billed';
import { cachedOptionalQuery, cachedQuery, FORCED_REFRESH_MIN_MS, isUnavailable, utcDay, type Cached, type CostCacheDeps } from '@/lib/costs/cache';
import type { CostExplorerPort } from '@/lib/costs/ports';
import type { CostOverviewQuery } from '@/lib/costs/schemas';

/** Cost Explorer's price: $0.01 per API request, each page of a paginated answer counted. */
export const COST_EXPLORER_REQUEST_USD = 0.01;

export interface CostDeps extends CostCacheDeps {
  explorer: CostExplorerPort;
}

export interface CostOverviewView {
  overview: CostOverview;
  mode: 'sandbox' | 'aws';
  /** The oldest answer the page is built from ("data as of"). */
  asOf: Date;
  /** Some answer is older than the refresh interval (another server is fetching a newer one). */
  stale: boolean;
  /** The earliest time a forced refresh of every answer is allowed again. */
  refreshAllowedAt: Date;
  requestsThisMonth: { count: number; usd: number };
  /**
   * Set when the forecast could not be had: Cost Explorer failed (`code`), the billed figures are
   * shown without it, and nobody asks again before `retryAt` (docs/decisions/027-forecast-backoff-and-ambiguous-execute.md).
   */
  forecastUnavailable: { code: string; failedAt: Date; retryAt: Date } | null;
}

/** First instant of the current UTC month: the ledger counts "this month" from there. */
function utcMonthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

async function load(deps: CostDeps, query: CostOverviewQuery, force: boolean): Promise<{ view: CostOverviewView; refreshed: number }> {
  const today = utcDay(deps.now());
  const q = overviewQueries(today, query.basis, { env: query.env, team: query.team });
  const { explorer } = deps;
  const opts = { force };
  const [daily, monthly, tags, forecast] = await Promise.all([
    cachedQuery(deps, q.daily.key, (hook) => explorer.getCostAndUsage(q.daily.query, hook), opts),
    cachedQuery(deps, q.monthly.key, (hook) => explorer.getCostAndUsage(q.monthly.query, hook), opts),
    cachedQuery(deps, q.tags.key, (hook) => explorer.getCostAndUsage(q.tags.query, hook), opts),
    // The forecast may fail on its own: the billed figures are shown (and cached) without it.
    cachedOptionalQuery(deps, q.forecast.key, (hook) => explorer.getCostForecast(q.forecast.query, hook), opts),
  ]);
  const parts: Cached<unknown>[] = isUnavailable(forecast) ? [daily, monthly, tags] : [daily, monthly, tags, forecast];
  const asOf = new Date(Math.min(...parts.map((p) => p.fetchedAt.getTime())));
  const newest = Math.max(...parts.map((p) => p.fetchedAt.getTime()));
  const count = await deps.store.countRequests(utcMonthStart(deps.now()));
  // An answer older than its day (yesterday's) is served only while today's is fetched: stale too.
  const view: CostOverviewView = {
    overview: buildOverview(
      utcDay(daily.fetchedAt) === today ? today : utcDay(daily.fetchedAt),
      query.basis,
      daily.value,
      monthly.value,
      tags.value,
      isUnavailable(forecast) ? null : forecast.value,
    ),
    mode: explorer.mode,
    asOf,
    stale: parts.some((p) => p.stale),
    refreshAllowedAt: new Date(newest + FORCED_REFRESH_MIN_MS),
    requestsThisMonth: { count, usd: count * COST_EXPLORER_REQUEST_USD },
    forecastUnavailable: isUnavailable(forecast) ? { code: forecast.code, failedAt: forecast.failedAt, retryAt: forecast.retryAt } : null,
  };
  return { view, refreshed: parts.filter((p) => p.refreshed).length };
}

/** The cost overview for a filter: cached answers, fetched at most once per query per refresh interval. */
export async function loadCostOverview(deps: CostDeps, query: CostOverviewQuery): Promise<CostOverviewView> {
  return (await load(deps, query, false)).view;
}

/**
 * "Refresh now": fetches again every answer of the view that is at least 10 minutes old (a
 * younger one is kept: forcing cannot spend more than one request per query per 10 minutes).
 */
export async function refreshCostOverview(deps: CostDeps, query: CostOverviewQuery): Promise<{ refreshed: number; refreshAllowedAt: Date }> {
  const { view, refreshed } = await load(deps, query, true);
  return { refreshed, refreshAllowedAt: view.refreshAllowedAt };
}
