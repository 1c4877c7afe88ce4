import { environmentOf, isEnvironmentSlug } from '@/lib/environments';
import { auditEntry, type AuditActor, type AuditLog, type RequestOrigin } from '@/lib/audit/model';
import { AppError } from '@/lib/errors';
import type { CachedValue, Clock, SharedCache } from '@/lib/alarms/cache';
import { classifyAlarm, ruleAlarmNames } from '@/lib/alarms/classify';
import { alarmConsoleUrl } from '@/lib/alarms/console-url';
import { HEALTH_RETENTION_MS, healthSlot, summarizeHealth, unreachable, type EnvironmentHealth } from '@/lib/alarms/environment-health';
import { alarmPeriods, readHistoryItem } from '@/lib/alarms/history';
import { metricQueriesFor, metricWindow } from '@/lib/alarms/metrics';
import type { Alarm, AlarmAction, AlarmHistoryItem, AlarmHistoryRecord, AlarmState, MetricRange, MetricSeries, Period, Subscription } from '@/lib/alarms/model';
import {
  compareEnvironments,
  countByEnvironment,
  facetsOf,
  filterAlarms,
  groupAlarms,
  sortAlarms,
  toOverviewItem,
  type OverviewGroup,
  type StateCounts,
} from '@/lib/alarms/overview';
import type { CloudWatchPort, HealthSource, HealthStore, SnsPort } from '@/lib/alarms/ports';
import type { OverviewQuery, SetAlarmStateInput } from '@/lib/alarms/schemas';
import { HOME_ACCOUNT_KEY, type AccountRef } from '@/lib/cloud/accounts';

/** The limits the issue sets: DescribeAlarms per region per 30 s, GetMetricData per (alarm, range) per 60 s. */
export const ALARMS_INTERVAL_MS = 30_000;
export const METRICS_INTERVAL_MS = 60_000;
export const HISTORY_INTERVAL_MS = 60_000;
export const SUBSCRIPTIONS_INTERVAL_MS = 5 * 60_000;
/** The history the detail shows and the chart shades from (CloudWatch keeps 14 days). */
export const HISTORY_WINDOW_MS = 7 * 86_400_000;
export const HISTORY_LIMIT = 300;

/** One AWS account whose alarms are shown (docs/decisions/039): its CloudWatch and SNS, and its regions. */
export interface AlarmAccount {
  /** The account's route key (`home` or its id): part of every cache key and of an alarm's identity. */
  key: string;
  account: AccountRef;
  cloudwatch: CloudWatchPort;
  sns: SnsPort;
  /** The account's regions; the first is the default. */
  regions: readonly string[];
}

interface AlarmDepsBase {
  /** Where a state set from the portal is recorded. */
  audit: AuditLog;
  cache: SharedCache;
  clock: Clock;
}

/**
 * The dashboard's ports: every account whose alarms are shown (one, the portal's own `home`, when
 * nothing is configured), each asked separately so one failing leaves the others shown.
 */
export interface AlarmDeps extends AlarmDepsBase {
  accounts: readonly AlarmAccount[];
}

/** Every region alarms are read in, across accounts, in order (the first is the default). */
export function alarmRegions(deps: AlarmDeps): string[] {
  return [...new Set(deps.accounts.flatMap((a) => a.regions))];
}

/** The account keys whose alarms are shown (for the overview's account filter). */
export function alarmAccounts(deps: AlarmDeps): { key: string; account: AccountRef }[] {
  return deps.accounts.map(({ key, account }) => ({ key, account }));
}

/** How fresh one source of the page is, and what failed since when: every view shows it. */
export interface SourceStatus {
  source: string;
  /** The account the source is in, when it is known (configured accounts): which one failed. */
  account?: AccountRef;
  fetchedAt: string | null;
  stale: boolean;
  error: { code: string; message: string; since: string } | null;
}

function statusOf(source: string, cached: CachedValue<unknown>, account?: AlarmAccount): SourceStatus {
  return {
    source,
    ...(account?.account.accountId ? { account: account.account } : {}),
    fetchedAt: cached.fetchedAt?.toISOString() ?? null,
    stale: cached.stale,
    error: cached.error ? { code: cached.error.code, message: cached.error.message, since: cached.error.since.toISOString() } : null,
  };
}

// The shared cache's keys name the account (its route key), so two accounts never share a row; the
// portal's own account keeps the keys it had before accounts existed.
const scoped = (account: string, rest: string) => (account === HOME_ACCOUNT_KEY ? rest : `${account}:${rest}`);
export const alarmsKey = (region: string, account: string = HOME_ACCOUNT_KEY) => `alarms:${scoped(account, region)}`;
const historyKey = (account: string, region: string, name: string) => `history:${scoped(account, `${region}:${name}`)}`;
const metricsKey = (account: string, region: string, name: string, range: MetricRange) => `metrics:${scoped(account, `${region}:${name}:${range}`)}`;
const topicKey = (account: string, region: string, arn: string) => `sns:${scoped(account, `${region}:${arn}`)}`;

/** The named account; unknown keys are refused. */
function accountOrThrow(deps: AlarmDeps, key: string): AlarmAccount {
  const accounts = deps.accounts;
  const found = accounts.find((a) => a.key === key);
  if (!found) throw new AppError('BAD_REQUEST', `account must be one of ${accounts.map((a) => a.key).join(', ')}`);
  return found;
}

function regionOrThrow(account: Pick<AlarmAccount, 'regions'>, region: string | undefined): string {
  const chosen = region ?? account.regions[0];
  if (!chosen || !account.regions.includes(chosen)) throw new AppError('BAD_REQUEST', `region must be one of ${account.regions.join(', ')}`);
  return chosen;
}

/** An alarm labelled with the account it was read in. */
function inAccount(a: Alarm, account: AlarmAccount): Alarm {
  return { ...a, accountKey: account.key, account: account.account };
}

/**
 * Every alarm of the given regions of each account, from the shared cache (one DescribeAlarms per
 * account and region per 30 s). An account that fails is its own source's error; the others still show.
 */
export async function loadAlarms(
  deps: AlarmDeps,
  regions?: readonly string[],
  accounts: readonly AlarmAccount[] = deps.accounts,
): Promise<{ alarms: Alarm[]; sources: SourceStatus[] }> {
  const pairs = accounts.flatMap((account) => (regions ?? account.regions).filter((r) => account.regions.includes(r)).map((region) => ({ account, region })));
  const results = await Promise.all(
    pairs.map(async ({ account, region }) => {
      const cached = await deps.cache.get(alarmsKey(region, account.key), { intervalMs: ALARMS_INTERVAL_MS }, async () =>
        (await account.cloudwatch.describeAlarms(region)).map(classifyAlarm),
      );
      return { alarms: (cached.value ?? []).map((a) => inAccount(a, account)), status: statusOf(`cloudwatch:${region}`, cached, account) };
    }),
  );
  return { alarms: results.flatMap((r) => r.alarms), sources: results.map((r) => r.status) };
}

export interface AlarmOverview {
  sources: SourceStatus[];
  counts: { environment: string; counts: StateCounts }[];
  total: number;
  matched: number;
  groups: OverviewGroup[];
  facets: { environments: string[]; services: string[]; regions: string[]; accounts?: { key: string; account: AccountRef }[] };
}

/** The overview: counts by state per environment, and the filtered, sorted alarms grouped by environment and service. */
export async function getOverview(deps: AlarmDeps, query: OverviewQuery): Promise<AlarmOverview> {
  const all = alarmRegions(deps);
  const regions = query.region ? [regionOrThrow({ regions: all }, query.region)] : undefined;
  const accounts = query.account !== undefined ? [accountOrThrow(deps, query.account)] : deps.accounts;
  const { alarms, sources } = await loadAlarms(deps, regions, accounts);
  const matched = filterAlarms(alarms, query);
  const facets = facetsOf(alarms);
  const several = deps.accounts.length > 1;
  return {
    sources,
    counts: countByEnvironment(alarms),
    total: alarms.length,
    matched: matched.length,
    groups: groupAlarms(sortAlarms(matched.map(toOverviewItem), query.sort, query.order), { firingFirst: query.sort === 'state' && query.order !== 'desc' }),
    facets: { environments: facets.environments, services: facets.services, regions: all, ...(several ? { accounts: alarmAccounts(deps) } : {}) },
  };
}

/** One alarm from the cache, or NOT_FOUND (UNAVAILABLE when the list itself could not be fetched). */
async function alarmOrThrow(deps: AlarmDeps, name: string, account: AlarmAccount, region: string): Promise<{ alarm: Alarm; source: SourceStatus }> {
  const { alarms, sources } = await loadAlarms(deps, [region], [account]);
  const source = sources[0]!;
  const alarm = alarms.find((a) => a.name === name);
  if (alarm) return { alarm, source };
  if (source.error && source.fetchedAt === null) throw new AppError('UNAVAILABLE', `CloudWatch could not be reached: ${source.error.message}`);
  throw new AppError('NOT_FOUND', `There is no alarm named ${name} in ${region}.`);
}

/** Which alarm: its account and region (defaults: the account holding an alarm of that name, and that account's first region). */
export interface AlarmRef {
  account?: string;
  region?: string;
}

interface Located {
  account: AlarmAccount;
  region: string;
  alarm: Alarm;
  source: SourceStatus;
}

/**
 * The alarm a request means. Named with its account (as every link of the portal does), it is
 * looked up there only. Without one, with several accounts, it is the one account holding an alarm
 * of that name; a name found in several accounts is refused rather than guessed, so a state is
 * never set in the wrong account.
 */
async function locate(deps: AlarmDeps, name: string, ref: AlarmRef): Promise<Located> {
  const accounts = deps.accounts;
  if (ref.account !== undefined || accounts.length === 1) {
    const account = ref.account !== undefined ? accountOrThrow(deps, ref.account) : accounts[0]!;
    const region = regionOrThrow(account, ref.region);
    return { account, region, ...(await alarmOrThrow(deps, name, account, region)) };
  }
  const candidates = accounts.filter((a) => ref.region === undefined || a.regions.includes(ref.region));
  if (!candidates.length) throw new AppError('BAD_REQUEST', `region must be one of ${alarmRegions(deps).join(', ')}`);
  const looked = await Promise.all(
    candidates.map(async (account) => {
      const region = regionOrThrow(account, ref.region);
      const { alarms, sources } = await loadAlarms(deps, [region], [account]);
      return { account, region, alarm: alarms.find((a) => a.name === name), source: sources[0]! };
    }),
  );
  const hits = looked.filter((l): l is Located => l.alarm !== undefined);
  if (hits.length === 1) return hits[0]!;
  if (hits.length > 1)
    throw new AppError('BAD_REQUEST', `${name} is in more than one account (${hits.map((h) => h.account.key).join(', ')}): name the account`);
  const down = looked.find((l) => l.source.error && l.source.fetchedAt === null);
  if (down) throw new AppError('UNAVAILABLE', `CloudWatch could not be reached: ${down.source.error!.message}`);
  throw new AppError('NOT_FOUND', `There is no alarm named ${name}${ref.region ? ` in ${ref.region}` : ''}.`);
}

async function loadHistory(deps: AlarmDeps, account: AlarmAccount, region: string, name: string): Promise<CachedValue<AlarmHistoryRecord[]>> {
  return deps.cache.get(historyKey(account.key, region, name), { intervalMs: HISTORY_INTERVAL_MS }, () => {
    const now = deps.clock.now();
    return account.cloudwatch.describeAlarmHistory(region, name, new Date(now.getTime() - HISTORY_WINDOW_MS), now, HISTORY_LIMIT);
  });
}

const ACTION_KINDS: [RegExp, string][] = [
  [/^arn:aws[\w-]*:sns:/, 'sns'],
  [/^arn:aws[\w-]*:lambda:/, 'lambda'],
  [/^arn:aws[\w-]*:autoscaling:/, 'autoscaling'],
  [/^arn:aws[\w-]*:(swf|ec2|automate):/, 'ec2'],
  [/^arn:aws[\w-]*:ssm(-incidents)?:/, 'ssm'],
];

/** An alarm's actions, each with the transitions it runs on; SNS topics with their subscriptions (cached 5 min). */
async function resolveActions(deps: AlarmDeps, account: AlarmAccount, alarm: Alarm): Promise<AlarmAction[]> {
  const on = new Map<string, AlarmState[]>();
  const add = (arns: string[], state: AlarmState) => arns.forEach((arn) => on.set(arn, [...(on.get(arn) ?? []), state]));
  add(alarm.alarmActions, 'ALARM');
  add(alarm.okActions, 'OK');
  add(alarm.insufficientDataActions, 'INSUFFICIENT_DATA');
  return Promise.all(
    [...on.entries()].map(async ([arn, states]): Promise<AlarmAction> => {
      const kind = ACTION_KINDS.find(([re]) => re.test(arn))?.[1] ?? 'other';
      if (kind !== 'sns') return { arn, kind, on: states, subscriptions: null, error: null };
      const cached = await deps.cache.get<Subscription[]>(topicKey(account.key, alarm.region, arn), { intervalMs: SUBSCRIPTIONS_INTERVAL_MS }, () =>
        account.sns.listSubscriptions(alarm.region, arn),
      );
      return { arn, kind, on: states, subscriptions: cached.value, error: cached.error?.message ?? null };
    }),
  );
}

export interface AlarmDetail {
  alarm: Alarm;
  source: SourceStatus;
  consoleUrl: string;
  history: { items: AlarmHistoryItem[]; status: SourceStatus };
  actions: AlarmAction[];
  /** Composite alarms: the alarms the rule names, with their current state when known. */
  children: { name: string; state: AlarmState | null }[];
}

/** Everything the detail page shows except the chart: definition, state, history, actions and their routing. */
export async function getAlarmDetail(deps: AlarmDeps, name: string, regionParam?: string, accountParam?: string): Promise<AlarmDetail> {
  const { account, region, alarm, source } = await locate(deps, name, { account: accountParam, region: regionParam });
  const [history, actions, all] = await Promise.all([
    loadHistory(deps, account, region, name),
    resolveActions(deps, account, alarm),
    alarm.rule ? loadAlarms(deps, [region], [account]) : Promise.resolve(null),
  ]);
  const states = new Map((all?.alarms ?? []).map((a) => [a.name, a.state]));
  return {
    alarm,
    source,
    consoleUrl: alarmConsoleUrl(region, name),
    history: {
      items: (history.value ?? []).map(readHistoryItem).sort((a, b) => b.timestamp.localeCompare(a.timestamp)),
      status: statusOf(`history:${region}`, history, account),
    },
    actions,
    children: alarm.rule ? ruleAlarmNames(alarm.rule).map((child) => ({ name: child, state: states.get(child) ?? null })) : [],
  };
}

export interface AlarmMetrics {
  range: MetricRange;
  from: string;
  to: string;
  period: number;
  series: MetricSeries[];
  threshold: number | null;
  comparison: string | null;
  /** When the alarm was in ALARM within the window (from its history): shaded on the chart. */
  alarmPeriods: Period[];
  status: SourceStatus;
}

interface StoredMetrics {
  from: string;
  to: string;
  period: number;
  series: MetricSeries[];
}

/** The chart of an alarm over a range: its metric (or expression) with the threshold and the ALARM periods (one GetMetricData per alarm and range per 60 s). */
export async function getAlarmMetrics(deps: AlarmDeps, name: string, range: MetricRange, regionParam?: string, accountParam?: string): Promise<AlarmMetrics> {
  const { account, region, alarm } = await locate(deps, name, { account: accountParam, region: regionParam });
  const [cached, history] = await Promise.all([
    deps.cache.get<StoredMetrics>(metricsKey(account.key, region, name, range), { intervalMs: METRICS_INTERVAL_MS }, async () => {
      const window = metricWindow(range, deps.clock.now(), alarm.period);
      const queries = metricQueriesFor(alarm, window.period);
      const series = queries ? await account.cloudwatch.getMetricData(region, queries, window.from, window.to) : [];
      return { from: window.from.toISOString(), to: window.to.toISOString(), period: window.period, series };
    }),
    loadHistory(deps, account, region, name),
  ]);
  const stored =
    cached.value ??
    (() => {
      const w = metricWindow(range, deps.clock.now(), alarm.period);
      return { from: w.from.toISOString(), to: w.to.toISOString(), period: w.period, series: [] };
    })();
  const items = (history.value ?? []).map(readHistoryItem);
  return {
    range,
    ...stored,
    threshold: alarm.threshold,
    comparison: alarm.comparison,
    alarmPeriods: alarmPeriods(items, alarm.state, new Date(stored.from), new Date(Math.max(Date.parse(stored.to), deps.clock.now().getTime()))),
    status: statusOf(`metrics:${region}`, cached, account),
  };
}

/**
 * Sets an alarm's state in CloudWatch (until its next evaluation) and shows it at once: the shared
 * cache's copy of the alarm list and history are edited rather than refetched, so the limit of one
 * DescribeAlarms per 30 s holds. Recorded as 'alarm.state.set' once CloudWatch accepted it; setting
 * the state an alarm already has is recorded too, since CloudWatch was told (and keeps the reason).
 */
export async function setAlarmState(
  deps: AlarmDeps,
  input: SetAlarmStateInput,
  actor: AuditActor,
  origin: RequestOrigin | null,
): Promise<{ region: string; name: string; environment: string; previous: AlarmState; state: AlarmState }> {
  const { account, region, alarm } = await locate(deps, input.name, { account: input.account, region: input.region });
  const reason = `${input.reason} (set by ${actor.name} in Gatehouse)`;
  await account.cloudwatch.setAlarmState(region, alarm.name, input.state, reason);
  await deps.audit.appendAudit(
    auditEntry(
      actor,
      'alarm.state.set',
      { type: 'alarm', id: `${scoped(account.key, region)}/${alarm.name}` },
      {
        environment: isEnvironmentSlug(alarm.environment) ? environmentOf(alarm.environment) : null,
        before: { state: alarm.state },
        after: { state: input.state, reason: input.reason },
      },
      deps.clock.now(),
    ),
    origin,
  );
  const at = deps.clock.now().toISOString();
  if (alarm.state !== input.state) {
    await deps.cache.update<Alarm[]>(alarmsKey(region, account.key), (list) =>
      list.map((a) => (a.name === alarm.name ? { ...a, state: input.state, stateReason: reason, stateUpdatedAt: at } : a)),
    );
    const data = JSON.stringify({ version: '1.0', oldState: { stateValue: alarm.state }, newState: { stateValue: input.state, stateReason: reason } });
    await deps.cache.update<AlarmHistoryRecord[]>(historyKey(account.key, region, alarm.name), (items) => [
      { timestamp: at, type: 'StateUpdate', summary: `Alarm updated from ${alarm.state} to ${input.state}`, data },
      ...items,
    ]);
  }
  return { region, name: alarm.name, environment: alarm.environment, previous: alarm.state, state: input.state };
}

export interface HealthDeps {
  source: HealthSource;
  store: HealthStore;
  clock: Clock;
}

/**
 * One poll of every environment's health: each environment is checked once per 30 s slot across
 * all replicas (the slot is claimed in the store first), and samples older than 24 h are pruned.
 */
export async function pollEnvironmentHealth(deps: HealthDeps): Promise<{ checked: string[] }> {
  const now = deps.clock.now();
  const slot = healthSlot(now);
  const checked: string[] = [];
  await Promise.all(
    deps.source.environments().map(async (environment) => {
      if (!(await deps.store.claimSlot(environment, slot, now))) return;
      const started = deps.clock.now().getTime();
      const result = await deps.source
        .check(environment, now)
        .catch((e: unknown) => unreachable(e instanceof Error ? e.message : String(e), deps.clock.now().getTime() - started));
      await deps.store.record(environment, slot, result, deps.clock.now());
      checked.push(environment);
    }),
  );
  if (checked.length) await deps.store.pruneBefore(new Date(now.getTime() - HEALTH_RETENTION_MS));
  return { checked: checked.sort() };
}

/** Every environment's health (configured ones and any with stored checks), prod first. */
export async function getEnvironmentHealth(deps: HealthDeps): Promise<EnvironmentHealth[]> {
  const now = deps.clock.now();
  const samples = await deps.store.listSince(new Date(now.getTime() - HEALTH_RETENTION_MS));
  const environments = new Set([...deps.source.environments(), ...samples.map((s) => s.environment)]);
  return [...environments].sort(compareEnvironments).map((env) => summarizeHealth(env, samples, now));
}
