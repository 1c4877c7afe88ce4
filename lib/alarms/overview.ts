import { ALARM_STATES, type Alarm, type AlarmState } from '@/lib/alarms/model';
import type { AlarmSort, OverviewQuery } from '@/lib/alarms/schemas';
import type { AccountRef } from '@/lib/cloud/accounts';
import { ENVIRONMENT_SLUGS } from '@/lib/environments';

/** One row of the overview: what the list shows, without the full definition. */
export interface OverviewItem {
  /** The account's route key (`home` or its id) and label: which account the alarm is in. */
  accountKey?: string;
  account?: AccountRef;
  region: string;
  name: string;
  type: Alarm['type'];
  state: AlarmState;
  stateReason: string;
  stateUpdatedAt: string;
  environment: string;
  service: string;
  /** "AWS/Lambda Errors", or "expression" for metric math, null for composite alarms. */
  metric: string | null;
  threshold: number | null;
  comparison: string | null;
  /** The metric's CloudWatch unit (Bytes, Percent…): the threshold is shown in it. */
  unit: string | null;
}

export type StateCounts = Record<AlarmState, number>;

export interface OverviewGroup {
  environment: string;
  services: { service: string; alarms: OverviewItem[] }[];
}

const STATE_RANK: Record<AlarmState, number> = { ALARM: 0, INSUFFICIENT_DATA: 1, OK: 2 };
// Most critical first: the reverse of the environments' own order (dev, staging, prod).
const ENVIRONMENT_RANK: Record<string, number> = Object.fromEntries([...ENVIRONMENT_SLUGS].reverse().map((env, i) => [env, i]));
/** The list shows two lines of the reason; the detail shows all of it. */
const REASON_MAX = 160;

/** Environments in the order ops read them: prod, staging, dev, then the rest by name. */
export function compareEnvironments(a: string, b: string): number {
  return (ENVIRONMENT_RANK[a] ?? 9) - (ENVIRONMENT_RANK[b] ?? 9) || a.localeCompare(b);
}

/** The overview row of an alarm. */
export function toOverviewItem(a: Alarm): OverviewItem {
  const metric = a.metric ? `${a.metric.namespace} ${a.metric.metricName}` : a.metrics ? 'expression' : null;
  return {
    ...(a.accountKey ? { accountKey: a.accountKey } : {}),
    ...(a.account ? { account: a.account } : {}),
    region: a.region,
    name: a.name,
    type: a.type,
    state: a.state,
    stateReason: a.stateReason.length > REASON_MAX ? `${a.stateReason.slice(0, REASON_MAX - 1)}…` : a.stateReason,
    stateUpdatedAt: a.stateUpdatedAt,
    environment: a.environment,
    service: a.service,
    metric,
    threshold: a.threshold,
    comparison: a.comparison,
    unit: a.unit ?? null,
  };
}

/** Alarm counts by state for every environment (all alarms, whatever the filter), prod first. */
export function countByEnvironment(alarms: readonly Pick<Alarm, 'environment' | 'state'>[]): { environment: string; counts: StateCounts }[] {
  const byEnv = new Map<string, StateCounts>();
  for (const a of alarms) {
    let counts = byEnv.get(a.environment);
    if (!counts) byEnv.set(a.environment, (counts = { ALARM: 0, INSUFFICIENT_DATA: 0, OK: 0 }));
    counts[a.state]++;
  }
  return [...byEnv.entries()].sort(([a], [b]) => compareEnvironments(a, b)).map(([environment, counts]) => ({ environment, counts }));
}

/** The alarms the query asks for: states (any of), environment, service, and every word of q in the name, description or metric. */
export function filterAlarms<T extends Alarm>(alarms: readonly T[], query: Pick<OverviewQuery, 'state' | 'env' | 'service' | 'q' | 'region'>): T[] {
  const states = query.state?.length ? new Set<AlarmState>(query.state) : null;
  const terms = (query.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  return alarms.filter((a) => {
    if (states && !states.has(a.state)) return false;
    if (query.env && a.environment !== query.env) return false;
    if (query.service && a.service !== query.service) return false;
    if (query.region && a.region !== query.region) return false;
    if (terms.length) {
      const text = [a.name, a.description ?? '', a.metric?.metricName ?? '', a.metric?.namespace ?? '', a.service].join(' ').toLowerCase();
      if (!terms.every((t) => text.includes(t))) return false;
    }
    return true;
  });
}

type Comparator = (a: OverviewItem, b: OverviewItem) => number;

const byName: Comparator = (a, b) => a.name.localeCompare(b.name) || a.region.localeCompare(b.region) || (a.accountKey ?? '').localeCompare(b.accountKey ?? '');
const byUpdatedDesc: Comparator = (a, b) => b.stateUpdatedAt.localeCompare(a.stateUpdatedAt);

/** Each sort in its natural direction; `order` reverses it. */
const SORTS: Record<AlarmSort, { natural: 'asc' | 'desc'; compare: Comparator }> = {
  state: { natural: 'asc', compare: (a, b) => STATE_RANK[a.state] - STATE_RANK[b.state] || byUpdatedDesc(a, b) || byName(a, b) },
  name: { natural: 'asc', compare: byName },
  updated: { natural: 'desc', compare: (a, b) => byUpdatedDesc(a, b) || byName(a, b) },
  environment: {
    natural: 'asc',
    compare: (a, b) => compareEnvironments(a.environment, b.environment) || STATE_RANK[a.state] - STATE_RANK[b.state] || byName(a, b),
  },
  service: { natural: 'asc', compare: (a, b) => a.service.localeCompare(b.service) || STATE_RANK[a.state] - STATE_RANK[b.state] || byName(a, b) },
};

/** Sorted copy; the default (state) puts alarms in ALARM first, the most recent change first. */
export function sortAlarms(items: readonly OverviewItem[], sort: AlarmSort, order?: 'asc' | 'desc'): OverviewItem[] {
  const { natural, compare } = SORTS[sort];
  const sign = order && order !== natural ? -1 : 1;
  return [...items].sort((a, b) => sign * compare(a, b));
}

/**
 * Groups a sorted list by environment, then service. With the default sort (state) the groups are
 * ordered by what fires (`firingFirst`): a group holding alarms in ALARM comes first, the one with
 * the newest such alarm on top (so an alarm that just fired is the first row); the other groups
 * follow in their usual order (prod, staging, dev; services by name), worst state first. Otherwise
 * a group comes where its first alarm comes.
 */
export function groupAlarms(sorted: readonly OverviewItem[], { firingFirst = true }: { firingFirst?: boolean } = {}): OverviewGroup[] {
  const groups: OverviewGroup[] = [];
  const envIndex = new Map<string, OverviewGroup>();
  const serviceIndex = new Map<string, { service: string; alarms: OverviewItem[] }>();
  for (const item of sorted) {
    let group = envIndex.get(item.environment);
    if (!group) {
      group = { environment: item.environment, services: [] };
      envIndex.set(item.environment, group);
      groups.push(group);
    }
    const key = `${item.environment}\u0000${item.service}`;
    let service = serviceIndex.get(key);
    if (!service) {
      service = { service: item.service, alarms: [] };
      serviceIndex.set(key, service);
      group.services.push(service);
    }
    service.alarms.push(item);
  }
  if (!firingFirst) return groups;
  const firstOf = (alarms: OverviewItem[]) => alarms[0]!;
  const byFiring = (a: OverviewItem, b: OverviewItem, usual: number) =>
    STATE_RANK[a.state] - STATE_RANK[b.state] || (a.state === 'ALARM' ? byUpdatedDesc(a, b) : 0) || usual;
  for (const g of groups) g.services.sort((x, y) => byFiring(firstOf(x.alarms), firstOf(y.alarms), x.service.localeCompare(y.service)));
  return groups.sort((x, y) => byFiring(firstOf(x.services[0]!.alarms), firstOf(y.services[0]!.alarms), compareEnvironments(x.environment, y.environment)));
}

/** Distinct values for the filter controls. */
export function facetsOf(alarms: readonly Alarm[]): { environments: string[]; services: string[]; states: readonly AlarmState[] } {
  return {
    environments: [...new Set(alarms.map((a) => a.environment))].sort(compareEnvironments),
    services: [...new Set(alarms.map((a) => a.service))].sort(),
    states: ALARM_STATES,
  };
}
