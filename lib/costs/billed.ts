import type { CostAndUsage, CostAndUsageQuery, CostForecast, CostForecastQuery, CostMetric, CostTagFilter } from '@/lib/costs/ports';
import type { CostBasis } from '@/lib/costs/schemas';

/** Billed-cost rules: which Cost Explorer questions the overview asks, and what it shows from the answers. */

export const METRIC_OF: Record<CostBasis, CostMetric> = { unblended: 'UnblendedCost', amortized: 'AmortizedCost' };

/** Months on the monthly chart (the current one included). */
export const HISTORY_MONTHS = 13;
/** Confidence of the forecast band. */
export const FORECAST_CONFIDENCE = 80;

const DAY_MS = 86_400_000;

function parseDay(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}
function fmtDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}
/** The first day of the month `offset` months from the month of `day`. */
export function monthStart(day: string, offset = 0): string {
  const d = parseDay(day);
  return fmtDay(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1)));
}
export function addDays(day: string, n: number): string {
  return fmtDay(new Date(parseDay(day).getTime() + n * DAY_MS));
}
function daysBetween(from: string, to: string): number {
  return Math.round((parseDay(to).getTime() - parseDay(from).getTime()) / DAY_MS);
}

/** Two runs of days, first and last included (YYYY-MM-DD, UTC). */
export interface ComparedPeriods {
  current: { from: string; to: string };
  previous: { from: string; to: string };
}

/**
 * Like for like: this month up to today against as many days of last month (all of it when it is
 * shorter), so a comparison on the 7th is 7 days against 7 days, never against a whole month.
 */
export function comparedPeriods(today: string): ComparedPeriods {
  const from = monthStart(today);
  const previousFrom = monthStart(today, -1);
  const elapsed = daysBetween(from, today) + 1;
  const lastOfPrevious = addDays(from, -1);
  const sameDay = addDays(previousFrom, elapsed - 1);
  return { current: { from, to: today }, previous: { from: previousFrom, to: sameDay < lastOfPrevious ? sameDay : lastOfPrevious } };
}

export interface OverviewQueries {
  daily: { key: string; query: CostAndUsageQuery };
  monthly: { key: string; query: CostAndUsageQuery };
  tags: { key: string; query: CostAndUsageQuery };
  forecast: { key: string; query: CostForecastQuery };
}

function filterKey(filter: CostTagFilter): string {
  const accounts = filter.linkedAccounts?.length ? `;accounts=${filter.linkedAccounts.join(',')}` : '';
  return `env=${filter.env ?? ''};team=${filter.team ?? ''}${accounts}`;
}

/** Where the questions are asked (docs/decisions/039); empty: the portal's own account, split by the env tag. */
export interface QueryScope {
  /** The management account: group the env/team question by LINKED_ACCOUNT instead of the env tag. */
  byLinkedAccount?: boolean;
  /** Names the account asked in each-account mode, so two accounts' answers never share a cache row. */
  keyPrefix?: string;
}

/**
 * The four questions behind the overview on `today` (UTC). Their cache keys do not contain the
 * dates, so yesterday's answer can be served, marked stale, while today's is being fetched.
 * Both cost bases come in one GetCostAndUsage request; only the forecast depends on the basis.
 */
export function overviewQueries(today: string, basis: CostBasis, filter: CostTagFilter, scope: QueryScope = {}): OverviewQueries {
  const f = `${scope.keyPrefix ?? ''}${filterKey(filter)}`;
  const filterPart =
    filter.env || filter.team || filter.linkedAccounts?.length
      ? {
          filter: {
            ...(filter.env ? { env: filter.env } : {}),
            ...(filter.team ? { team: filter.team } : {}),
            ...(filter.linkedAccounts?.length ? { linkedAccounts: filter.linkedAccounts } : {}),
          },
        }
      : {};
  const tomorrow = addDays(today, 1);
  const metrics: CostMetric[] = ['UnblendedCost', 'AmortizedCost'];
  const historyStart = monthStart(today, -(HISTORY_MONTHS - 1));
  return {
    daily: {
      key: `daily-by-service|${f}`,
      query: { start: monthStart(today, -1), end: tomorrow, granularity: 'DAILY', metrics, groupBy: [{ type: 'DIMENSION', key: 'SERVICE' }], ...filterPart },
    },
    monthly: {
      key: `monthly-by-service|${f}`,
      query: { start: historyStart, end: tomorrow, granularity: 'MONTHLY', metrics, groupBy: [{ type: 'DIMENSION', key: 'SERVICE' }], ...filterPart },
    },
    // Daily, so each environment and team compares the same days of both months (issue 17, finding 4).
    tags: {
      key: `${scope.byLinkedAccount ? 'daily-by-account-team' : 'daily-by-env-team'}|${f}`,
      query: {
        start: monthStart(today, -1),
        end: tomorrow,
        granularity: 'DAILY',
        metrics,
        groupBy: [scope.byLinkedAccount ? { type: 'DIMENSION', key: 'LINKED_ACCOUNT' } : { type: 'TAG', key: 'env' }, { type: 'TAG', key: 'team' }],
        ...filterPart,
      },
    },
    forecast: {
      key: `forecast|${basis}|${f}`,
      // The rest of this month and the next three, monthly, with the band.
      query: {
        start: today,
        end: monthStart(today, 4),
        granularity: 'MONTHLY',
        metric: METRIC_OF[basis],
        predictionIntervalLevel: FORECAST_CONFIDENCE,
        ...filterPart,
      },
    },
  };
}

/** One environment's or team's cost: month to date and the same days of last month. */
export interface Breakdown {
  key: string;
  thisMonth: number;
  samePeriodLastMonth: number;
}

export interface Mover {
  service: string;
  current: number;
  previous: number;
  delta: number;
  /** Relative change; null when there was nothing before. */
  pct: number | null;
}

export interface CostOverview {
  basis: CostBasis;
  today: string;
  /** Services by month-to-date cost, largest first (the charts' stacking order). */
  services: string[];
  monthToDate: number;
  /** The same days of last month, for a like-for-like change. */
  samePeriodLastMonth: number;
  lastMonth: number;
  changeVsSamePeriod: number | null;
  /** The days month to date and "the same days of last month" cover, for the labels. */
  periods: ComparedPeriods;
  /** Null when the forecast is unavailable (Cost Explorer failed; retried later): billed figures still show. */
  forecast: {
    /** This month: month-to-date plus the forecast of its remaining days. */
    month: { mean: number; lower: number; upper: number };
    changeVsLastMonth: number | null;
    next: { month: string; mean: number; lower: number; upper: number }[];
    confidence: number;
  } | null;
  /** `partial`: today, whose cost is still coming in. */
  daily: { date: string; estimated: boolean; partial: boolean; values: Record<string, number> }[];
  monthly: { month: string; estimated: boolean; values: Record<string, number> }[];
  byEnv: Breakdown[];
  byTeam: Breakdown[];
  topMovers: Mover[];
}

const change = (now: number, before: number) => (before > 0 ? (now - before) / before : null);

function sumGroups(groups: CostAndUsage['periods'][number]['groups'], metric: CostMetric): number {
  return groups.reduce((s, g) => s + (g.amounts[metric] ?? 0), 0);
}

function byKey(groups: CostAndUsage['periods'][number]['groups'], metric: CostMetric, index = 0): Record<string, number> {
  const out: Record<string, number> = {};
  for (const g of groups) {
    const key = g.keys[index] ?? '';
    out[key] = (out[key] ?? 0) + (g.amounts[metric] ?? 0);
  }
  return out;
}

/** The overview's figures from the four answers (amounts unrounded); `forecast` null when it is unavailable. */
export function buildOverview(
  today: string,
  basis: CostBasis,
  daily: CostAndUsage,
  monthly: CostAndUsage,
  tags: CostAndUsage,
  forecast: CostForecast | null,
): CostOverview {
  const metric = METRIC_OF[basis];
  const lastMonthStart = monthStart(today, -1);

  // Like for like: as many days of last month as this month has had (today included).
  const periods = comparedPeriods(today);
  const within = (range: { from: string; to: string }) => (p: { start: string }) => p.start >= range.from && p.start <= range.to;
  const thisMonthDays = daily.periods.filter(within(periods.current));
  const sameDays = daily.periods.filter(within(periods.previous));

  const current: Record<string, number> = {};
  for (const p of thisMonthDays) for (const [k, v] of Object.entries(byKey(p.groups, metric))) current[k] = (current[k] ?? 0) + v;
  const previous: Record<string, number> = {};
  for (const p of sameDays) for (const [k, v] of Object.entries(byKey(p.groups, metric))) previous[k] = (previous[k] ?? 0) + v;

  const allServices = new Set<string>();
  for (const p of [...daily.periods, ...monthly.periods]) for (const g of p.groups) allServices.add(g.keys[0] ?? '');
  const services = [...allServices].sort((a, b) => (current[b] ?? 0) - (current[a] ?? 0) || a.localeCompare(b));

  const monthToDate = Object.values(current).reduce((s, v) => s + v, 0);
  const samePeriodLastMonth = Object.values(previous).reduce((s, v) => s + v, 0);
  const lastMonthPeriod = monthly.periods.find((p) => p.start === lastMonthStart);
  const lastMonth = lastMonthPeriod ? sumGroups(lastMonthPeriod.groups, metric) : 0;

  // The forecast's first period is the rest of this month when it starts this month.
  const [first, ...rest] = forecast?.periods ?? [];
  const remainder = first && first.start < monthStart(today, 1) ? first : null;
  const nextPeriods = remainder ? rest : (forecast?.periods ?? []);
  const month = {
    mean: monthToDate + (remainder?.mean ?? 0),
    lower: monthToDate + (remainder?.lower ?? 0),
    upper: monthToDate + (remainder?.upper ?? 0),
  };

  const breakdown = (index: number): Breakdown[] => {
    const sum = (days: CostAndUsage['periods']) => {
      const out: Record<string, number> = {};
      for (const p of days) for (const [k, v] of Object.entries(byKey(p.groups, metric, index))) out[k] = (out[k] ?? 0) + v;
      return out;
    };
    const cur = sum(tags.periods.filter(within(periods.current)));
    const prev = sum(tags.periods.filter(within(periods.previous)));
    const keys = new Set([...Object.keys(cur), ...Object.keys(prev)]);
    return [...keys]
      .map((key) => ({ key, thisMonth: cur[key] ?? 0, samePeriodLastMonth: prev[key] ?? 0 }))
      .sort((a, b) => b.thisMonth - a.thisMonth || a.key.localeCompare(b.key));
  };

  const movers: Mover[] = services
    .map((service) => {
      const c = current[service] ?? 0;
      const p = previous[service] ?? 0;
      return { service, current: c, previous: p, delta: c - p, pct: change(c, p) };
    })
    .filter((m) => m.delta !== 0)
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta))
    .slice(0, 5);

  return {
    basis,
    today,
    services,
    monthToDate,
    samePeriodLastMonth,
    lastMonth,
    changeVsSamePeriod: change(monthToDate, samePeriodLastMonth),
    periods,
    forecast: forecast
      ? {
          month,
          changeVsLastMonth: change(month.mean, lastMonth),
          next: nextPeriods.slice(0, 3).map((p) => ({ month: p.start.slice(0, 7), mean: p.mean, lower: p.lower, upper: p.upper })),
          confidence: FORECAST_CONFIDENCE,
        }
      : null,
    daily: thisMonthDays.map((p) => ({ date: p.start, estimated: p.estimated, partial: p.start === today, values: byKey(p.groups, metric) })),
    monthly: monthly.periods.map((p) => ({ month: p.start.slice(0, 7), estimated: p.estimated, values: byKey(p.groups, metric) })),
    byEnv: breakdown(0),
    byTeam: breakdown(1),
    topMovers: movers,
  };
}

/** An account's environments as the env breakdown names them: `prod`, or `dev+staging` when they share the account. */
export function accountEnvLabel(environments: readonly string[]): string {
  return environments.join('+');
}

/** The answer with the group key at `index` renamed; a group `rename` maps to null is left out. */
export function relabelGroups(answer: CostAndUsage, index: number, rename: (key: string) => string | null): CostAndUsage {
  return {
    periods: answer.periods.map((p) => ({
      ...p,
      groups: p.groups.flatMap((g) => {
        const key = rename(g.keys[index] ?? '');
        return key === null ? [] : [{ ...g, keys: g.keys.map((k, i) => (i === index ? key : k)) }];
      }),
    })),
  };
}

/** Several accounts' answers to the same question as one: each period's groups together (same keys add up later). */
export function mergeUsage(answers: readonly CostAndUsage[]): CostAndUsage {
  const periods = new Map<string, CostAndUsage['periods'][number]>();
  for (const a of answers) {
    for (const p of a.periods) {
      const merged = periods.get(p.start);
      if (merged) {
        merged.estimated ||= p.estimated;
        merged.groups.push(...p.groups);
      } else periods.set(p.start, { ...p, groups: [...p.groups] });
    }
  }
  return { periods: [...periods.values()].sort((a, b) => a.start.localeCompare(b.start)) };
}

/** Several accounts' forecasts as one: means and band edges add up per period (the band is then wider than a joint one would be). */
export function mergeForecasts(forecasts: readonly CostForecast[]): CostForecast {
  const periods = new Map<string, CostForecast['periods'][number]>();
  for (const f of forecasts) {
    for (const p of f.periods) {
      const m = periods.get(p.start);
      if (m) Object.assign(m, { mean: m.mean + p.mean, lower: m.lower + p.lower, upper: m.upper + p.upper });
      else periods.set(p.start, { ...p });
    }
  }
  const sum = (k: 'mean' | 'lower' | 'upper') => forecasts.reduce((s, f) => s + f.total[k], 0);
  return {
    total: { mean: sum('mean'), lower: sum('lower'), upper: sum('upper') },
    periods: [...periods.values()].sort((a, b) => a.start.localeCompare(b.start)),
  };
}
