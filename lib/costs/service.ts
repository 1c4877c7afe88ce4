import {
  accountEnvLabel,
  buildOverview,
  mergeForecasts,
  mergeUsage,
  overviewQueries,
  relabelGroups,
  type CostOverview,
  type OverviewQueries,
} from '@/lib/costs/billed';
import {
  cachedOptionalQuery,
  cachedQuery,
  FORCED_REFRESH_MIN_MS,
  isUnavailable,
  utcDay,
  type Cached,
  type CostCacheDeps,
  type Unavailable,
} from '@/lib/costs/cache';
import type { CostAndUsage, CostExplorerPort, CostForecast, CostTagFilter } from '@/lib/costs/ports';
import type { CostOverviewQuery } from '@/lib/costs/schemas';
import type { EnvironmentSlug } from '@/lib/environments';

/** Cost Explorer's price: $0.01 per API request, each page of a paginated answer counted. */
export const COST_EXPLORER_REQUEST_USD = 0.01;

/** One AWS account of the cost view (docs/decisions/039): an environment's cost is its account's cost. */
export interface CostAccount {
  accountId: string;
  alias: string | null;
  environments: EnvironmentSlug[];
}

/**
 * Where costs come from: `home` (the portal's own account, environments split by the env tag, as
 * before accounts existed); `management` (`explorer` is the payer account's Cost Explorer, costs
 * filtered to the configured accounts and split by LINKED_ACCOUNT); `each-account` (each account's
 * own Cost Explorer, one set of questions per account).
 */
export type CostSource =
  { kind: 'home' } | { kind: 'management'; accounts: CostAccount[] } | { kind: 'each-account'; accounts: (CostAccount & { explorer: CostExplorerPort })[] };

export interface CostDeps extends CostCacheDeps {
  explorer: CostExplorerPort;
  /** Where Cost Explorer is asked: the portal's own account (`home`), the payer account, or each account. */
  source: CostSource;
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
  /** With configured accounts: where the figures come from and which account each environment is in (absent: the portal's own account). */
  accounts?: { source: 'management' | 'each-account'; accounts: CostAccount[] };
}

/** One set of the overview's questions, asked of one Cost Explorer; `relabel` names the env breakdown's first key. */
interface Ask {
  explorer: CostExplorerPort;
  queries: OverviewQueries;
  relabel?: (key: string) => string | null;
}

/** The questions to ask for a filter, per the cost source. */
function asksFor(deps: CostDeps, today: string, query: CostOverviewQuery): Ask[] {
  const source = deps.source;
  const tagFilter: CostTagFilter = { env: query.env, team: query.team };
  if (source.kind === 'home') return [{ explorer: deps.explorer, queries: overviewQueries(today, query.basis, tagFilter) }];
  const chosen = <A extends CostAccount>(accounts: A[]) => (query.env ? accounts.filter((a) => a.environments.includes(query.env!)) : accounts);
  // An account's cost is its environment's; an account shared by environments is split by the env tag when one is asked for.
  const filterIn = (a: CostAccount): CostTagFilter => ({ ...(query.env && a.environments.length > 1 ? { env: query.env } : {}), team: query.team });
  const label = (a: CostAccount) => query.env ?? accountEnvLabel(a.environments);
  if (source.kind === 'management') {
    const accounts = chosen(source.accounts);
    const labels = new Map(accounts.map((a) => [a.accountId, label(a)]));
    const shared = accounts.some((a) => a.environments.length > 1);
    const filter: CostTagFilter = { ...(shared ? filterIn(accounts[0]!) : { team: query.team }), linkedAccounts: accounts.map((a) => a.accountId) };
    return [
      { explorer: deps.explorer, queries: overviewQueries(today, query.basis, filter, { byLinkedAccount: true }), relabel: (k) => labels.get(k) ?? null },
    ];
  }
  return chosen(source.accounts).map((a) => ({
    explorer: a.explorer,
    queries: overviewQueries(today, query.basis, filterIn(a), { keyPrefix: `${a.accountId}|` }),
    relabel: () => label(a),
  }));
}

const minDate = (dates: Date[]) => new Date(Math.min(...dates.map((d) => d.getTime())));

/** First instant of the current UTC month: the ledger counts "this month" from there. */
function utcMonthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

async function load(deps: CostDeps, query: CostOverviewQuery, force: boolean): Promise<{ view: CostOverviewView; refreshed: number }> {
  const today = utcDay(deps.now());
  const opts = { force };
  const answers = await Promise.all(
    asksFor(deps, today, query).map(async ({ explorer, queries: q, relabel }) => {
      const [daily, monthly, tags, forecast] = await Promise.all([
        cachedQuery(deps, q.daily.key, (hook) => explorer.getCostAndUsage(q.daily.query, hook), opts),
        cachedQuery(deps, q.monthly.key, (hook) => explorer.getCostAndUsage(q.monthly.query, hook), opts),
        cachedQuery(deps, q.tags.key, (hook) => explorer.getCostAndUsage(q.tags.query, hook), opts),
        // The forecast may fail on its own: the billed figures are shown (and cached) without it.
        cachedOptionalQuery(deps, q.forecast.key, (hook) => explorer.getCostForecast(q.forecast.query, hook), opts),
      ]);
      return { daily, monthly, tags, forecast, tagsValue: relabel ? relabelGroups(tags.value, 0, relabel) : tags.value };
    }),
  );
  const one = <T>(values: T[], merge: (v: T[]) => T): T => (values.length === 1 ? values[0]! : merge(values));
  const daily = {
    fetchedAt: minDate(answers.map((a) => a.daily.fetchedAt)),
    value: one(
      answers.map((a) => a.daily.value),
      mergeUsage,
    ),
  };
  const monthly: CostAndUsage = one(
    answers.map((a) => a.monthly.value),
    mergeUsage,
  );
  const tags: CostAndUsage = one(
    answers.map((a) => a.tagsValue),
    mergeUsage,
  );
  const unavailable = answers.map((a) => a.forecast).find((f): f is Unavailable => isUnavailable(f)) ?? null;
  const forecast: CostForecast | null = unavailable
    ? null
    : one(
        answers.map((a) => (a.forecast as Cached<CostForecast>).value),
        mergeForecasts,
      );
  const parts: Cached<unknown>[] = answers.flatMap((a) =>
    isUnavailable(a.forecast) ? [a.daily, a.monthly, a.tags] : [a.daily, a.monthly, a.tags, a.forecast],
  );
  const asOf = new Date(Math.min(...parts.map((p) => p.fetchedAt.getTime())));
  const newest = Math.max(...parts.map((p) => p.fetchedAt.getTime()));
  const count = await deps.store.countRequests(utcMonthStart(deps.now()));
  // An answer older than its day (yesterday's) is served only while today's is fetched: stale too.
  const view: CostOverviewView = {
    overview: buildOverview(utcDay(daily.fetchedAt) === today ? today : utcDay(daily.fetchedAt), query.basis, daily.value, monthly, tags, forecast),
    mode: deps.explorer.mode,
    asOf,
    stale: parts.some((p) => p.stale),
    refreshAllowedAt: new Date(newest + FORCED_REFRESH_MIN_MS),
    requestsThisMonth: { count, usd: count * COST_EXPLORER_REQUEST_USD },
    forecastUnavailable: unavailable ? { code: unavailable.code, failedAt: unavailable.failedAt, retryAt: unavailable.retryAt } : null,
    ...(deps.source.kind !== 'home'
      ? {
          accounts: {
            source: deps.source.kind,
            accounts: deps.source.accounts.map(({ accountId, alias, environments }) => ({ accountId, alias, environments })),
          },
        }
      : {}),
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
