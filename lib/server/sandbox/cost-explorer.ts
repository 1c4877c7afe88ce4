import 'server-only';
import { AppError } from '@/lib/errors';
import type { CostAndUsage, CostAndUsageQuery, CostExplorerPort, CostForecastQuery, CostGroup, CostMetric, CostPeriod } from '@/lib/costs/ports';
import { ENVIRONMENT_SLUGS, type EnvironmentSlug } from '@/lib/environments';

/**
 * Cost Explorer of the local sandbox account: a deterministic generator of the serverless stack's
 * daily cost per service × environment × team, with growth, a weekday shape, the document's 3-day
 * monthly peak and a seasonal (November–December) peak. It answers the same question shapes as
 * the AWS adapter (DAILY / MONTHLY, both cost bases, grouped by SERVICE or the env / team tags,
 * filtered by tag) and forecasts with a band. Nothing is stored: the same day always costs the same.
 *
 * Unlike a real account, RDS Proxy and the NAT gateway are shown as services of their own (in AWS
 * they are usage types of "Amazon Relational Database Service" and "EC2 - Other"), so the bill
 * lines up with the cost model's lines.
 */

type Env = EnvironmentSlug;
// Most sensitive first: the order cells have always been generated in (sums of floats depend on it).
const ENVS: readonly Env[] = [...ENVIRONMENT_SLUGS].reverse();

interface ServiceShape {
  name: string;
  /** USD a day per environment at the reference date, before shape and growth. */
  perDay: Record<Env, number>;
  /** Share that follows traffic (weekday shape, peaks); the rest is a fixed hourly charge. */
  usage: number;
  /** Cost split over the `team` tag ('' = untagged). */
  teams: Record<string, number>;
}

const SHARED = { payments: 0.45, platform: 0.3, data: 0.15, '': 0.1 };
const NETWORK = { platform: 0.7, '': 0.3 };

export const SANDBOX_SERVICES: readonly ServiceShape[] = [
  { name: 'Amazon Relational Database Service', perDay: { prod: 1.95, staging: 0.85, dev: 0.4 }, usage: 0.05, teams: SHARED },
  { name: 'Amazon RDS Proxy', perDay: { prod: 0.72, staging: 0.72, dev: 0.72 }, usage: 0, teams: SHARED },
  { name: 'NAT Gateway', perDay: { prod: 2.3, staging: 1.12, dev: 1.1 }, usage: 0.08, teams: NETWORK },
  { name: 'AWS Lambda', perDay: { prod: 0.16, staging: 0.03, dev: 0.02 }, usage: 1, teams: SHARED },
  { name: 'Amazon Simple Queue Service', perDay: { prod: 0.03, staging: 0.01, dev: 0.01 }, usage: 0.9, teams: SHARED },
  { name: 'AmazonCloudWatch', perDay: { prod: 0.26, staging: 0.12, dev: 0.08 }, usage: 0.4, teams: { platform: 0.6, payments: 0.2, data: 0.1, '': 0.1 } },
  { name: 'AWS Secrets Manager', perDay: { prod: 0.04, staging: 0.027, dev: 0.027 }, usage: 0.05, teams: SHARED },
  { name: 'AWS Data Transfer', perDay: { prod: 0.14, staging: 0.02, dev: 0.01 }, usage: 1, teams: NETWORK },
];

const DAY_MS = 86_400_000;
/** Costs grow 2.5% a month from this reference date (earlier dates cost less). */
const REFERENCE = Date.UTC(2026, 0, 1);
const MONTHLY_GROWTH = 0.025;
/** Prod's database runs on a one-year partial-upfront reservation bought every 1 March. */
const RI = { recurringShare: 0.31, amortizedShare: 0.62 };

/** A small, stable hash → [0, 1): the same key always gives the same noise. */
function noise(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  h ^= h >>> 13;
  h = Math.imul(h, 0x5bd1e995);
  h ^= h >>> 15;
  return (h >>> 0) / 4294967296;
}

const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);
const parse = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** Traffic factor of a day: weekends quieter, the 25th–27th the monthly 3-day peak, Nov–Dec the seasonal one. */
function trafficFactor(t: number): number {
  const d = new Date(t);
  const weekday = d.getUTCDay();
  const date = d.getUTCDate();
  const month = d.getUTCMonth();
  const week = weekday === 0 || weekday === 6 ? 0.72 : 1;
  const peak = date >= 25 && date <= 27 ? 4 : 1;
  const season = month === 10 ? 1.3 : month === 11 ? 1.45 : month === 0 ? 1.1 : 1;
  return week * peak * season;
}

/** Prod is scaled up for the season (larger database, more capacity) in November and December. */
function seasonalCapacity(t: number, env: Env): number {
  if (env !== 'prod') return 1;
  const month = new Date(t).getUTCMonth();
  return month === 10 ? 1.4 : month === 11 ? 1.6 : 1;
}

function growth(t: number): number {
  return Math.pow(1 + MONTHLY_GROWTH, (t - REFERENCE) / (30.4375 * DAY_MS));
}

interface Cell {
  service: string;
  env: Env;
  team: string;
  unblended: number;
  amortized: number;
}

/** One day's cost cells (service × env × team); `fraction` < 1 for today, which is not over yet. */
function dayCells(t: number, { withNoise = true, fraction = 1 } = {}): Cell[] {
  const day = dayOf(t);
  const cells: Cell[] = [];
  const traffic = trafficFactor(t);
  const g = growth(t);
  const isMarchFirst = day.slice(5) === '03-01';
  for (const s of SANDBOX_SERVICES) {
    for (const env of ENVS) {
      const jitter = withNoise ? 1 + (noise(`${day}|${s.name}|${env}`) - 0.5) * (s.usage > 0.5 ? 0.14 : 0.02) : 1;
      const onDemand = s.perDay[env] * g * ((1 - s.usage) * seasonalCapacity(t, env) + s.usage * traffic) * jitter * fraction;
      let unblended = onDemand;
      let amortized = onDemand;
      if (s.name === 'Amazon Relational Database Service' && env === 'prod') {
        amortized = onDemand * RI.amortizedShare;
        unblended = onDemand * RI.recurringShare + (isMarchFirst ? s.perDay.prod * g * RI.recurringShare * 365 : 0);
      }
      for (const [team, share] of Object.entries(s.teams))
        cells.push({ service: s.name, env, team, unblended: unblended * share, amortized: amortized * share });
    }
  }
  return cells;
}

function keyOf(cell: Cell, by: CostAndUsageQuery['groupBy'][number]): string {
  if (by.type === 'DIMENSION') return cell.service;
  return by.key === 'env' ? cell.env : cell.team;
}

function matches(cell: Cell, filter: CostAndUsageQuery['filter']): boolean {
  return (!filter?.env || cell.env === filter.env) && (!filter?.team || cell.team === filter.team);
}

/** Period buckets of a query: each day, or calendar months cut to the query's range. */
function buckets(start: string, end: string, granularity: 'DAILY' | 'MONTHLY'): { start: string; end: string }[] {
  const out: { start: string; end: string }[] = [];
  let t = parse(start);
  const stop = parse(end);
  while (t < stop) {
    const d = new Date(t);
    const next = granularity === 'DAILY' ? t + DAY_MS : Math.min(stop, Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
    out.push({ start: dayOf(t), end: dayOf(next) });
    t = next;
  }
  return out;
}

/**
 * The team filter for which the sandbox's GetCostForecast fails as Cost Explorer does in an outage
 * (503, not billed), so the overview's "forecast unavailable" state can be seen and tested
 * (docs/decisions/027-forecast-backoff-and-ambiguous-execute.md). No real team has this slug; its billed cost is 0.
 */
export const SANDBOX_FORECAST_OUTAGE_TEAM = 'forecast-outage';

/** Rows (period × group) on one page of the simulated answer; larger answers take several paid requests. */
export const SANDBOX_PAGE_ROWS = 200;

/** The sandbox Cost Explorer; `now` bounds the history (no cost after it, today's only partly). */
export function createSandboxCostExplorer(now: () => Date = () => new Date()): CostExplorerPort {
  return {
    mode: 'sandbox',
    async getCostAndUsage(query, onRequest) {
      const current = now().getTime();
      const todayStart = parse(dayOf(current));
      const monthStart = Date.UTC(new Date(current).getUTCFullYear(), new Date(current).getUTCMonth(), 1);
      const periods: CostPeriod[] = [];
      for (const b of buckets(query.start, query.end, query.granularity)) {
        const groups = new Map<string, CostGroup>();
        for (let t = parse(b.start); t < parse(b.end) && t <= todayStart; t += DAY_MS) {
          const fraction = t === todayStart ? (current - todayStart) / DAY_MS : 1;
          for (const cell of dayCells(t, { fraction })) {
            if (!matches(cell, query.filter)) continue;
            const keys = query.groupBy.map((by) => keyOf(cell, by));
            const id = keys.join('\u0000');
            const group = groups.get(id) ?? { keys, amounts: {} };
            const add = (m: CostMetric, v: number) => (group.amounts[m] = (group.amounts[m] ?? 0) + v);
            if (query.metrics.includes('UnblendedCost')) add('UnblendedCost', cell.unblended);
            if (query.metrics.includes('AmortizedCost')) add('AmortizedCost', cell.amortized);
            groups.set(id, group);
          }
        }
        // Like Cost Explorer: the current month's figures are estimated until the bill closes.
        periods.push({ start: b.start, end: b.end, estimated: parse(b.end) > monthStart, groups: [...groups.values()] });
      }
      const rows = Math.max(
        1,
        periods.reduce((s, p) => s + Math.max(1, p.groups.length), 0),
      );
      for (let page = 0; page < Math.ceil(rows / SANDBOX_PAGE_ROWS); page++) onRequest('GetCostAndUsage');
      const result: CostAndUsage = { periods };
      return result;
    },
    async getCostForecast(query: CostForecastQuery, onRequest) {
      if (query.filter?.team === SANDBOX_FORECAST_OUTAGE_TEAM) {
        throw new AppError('UNAVAILABLE', 'Cost Explorer GetCostForecast: Service Unavailable (a simulated outage of the local sandbox account)', {
          awsError: 'ServiceUnavailable',
          operation: 'Cost Explorer GetCostForecast',
        });
      }
      onRequest('GetCostForecast');
      const current = now().getTime();
      const periods = buckets(query.start, query.end, 'MONTHLY').map((b, index) => {
        let mean = 0;
        for (let t = parse(b.start); t < parse(b.end); t += DAY_MS) {
          for (const cell of dayCells(t, { withNoise: false })) {
            if (matches(cell, query.filter)) mean += query.metric === 'UnblendedCost' ? cell.unblended : cell.amortized;
          }
        }
        // Today's elapsed part is already billed: the forecast covers what remains of it.
        if (b.start === dayOf(current)) {
          const elapsed = (current - parse(b.start)) / DAY_MS;
          const today = dayCells(parse(b.start), { withNoise: false }).filter((c) => matches(c, query.filter));
          mean -= elapsed * today.reduce((s, c) => s + (query.metric === 'UnblendedCost' ? c.unblended : c.amortized), 0);
        }
        // The band widens with the horizon.
        const width = 0.06 + 0.03 * index;
        return { start: b.start, end: b.end, mean, lower: mean * (1 - width), upper: mean * (1 + width) };
      });
      const sum = (k: 'mean' | 'lower' | 'upper') => periods.reduce((s, p) => s + p[k], 0);
      return { total: { mean: sum('mean'), lower: sum('lower'), upper: sum('upper') }, periods };
    },
  };
}
