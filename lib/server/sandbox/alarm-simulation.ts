import type { AlarmRecord, AlarmState, Dimension } from '@/lib/alarms/model';
import { SANDBOX_ACCOUNT_ID } from '@/lib/cloud/sandbox-ids';
import { ENVIRONMENT_SLUGS } from '@/lib/environments';

/**
 * The local sandbox account's CloudWatch: the alarms of the serverless stack (infra/) for dev,
 * staging and prod, with metrics that are a deterministic function of (alarm, time) — a daily
 * swing, noise, and incidents placed by a seeded hash — and states evaluated from those datapoints
 * exactly as CloudWatch would (N of M datapoints against the threshold), so that series move,
 * states change on a schedule, and the history is the record of those changes
 * (docs/decisions/013-alarm-sandbox-and-health.md). Pure: time comes in as an argument.
 */

/** How long a state set with SetAlarmState holds before evaluation takes over again. */
export const FORCED_STATE_HOLD_MS = 10 * 60_000;
/** How far back the simulation looks for the last state change (CloudWatch keeps 14 days of history). */
export const LOOKBACK_MS = 14 * 86_400_000;

type Comparison = 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold' | 'LessThanThreshold';

/** One simulated metric alarm: its CloudWatch definition and how its metric behaves. */
export interface SimulatedMetricAlarm {
  kind: 'metric';
  name: string;
  environment: string;
  description: string;
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
  stat: string;
  unit: string;
  period: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  threshold: number;
  comparison: Comparison;
  treatMissingData: 'missing' | 'notBreaching';
  /** Normal behaviour: level, daily swing (fraction of level), noise (fraction of level); whole numbers for counts. */
  base: { level: number; swing: number; noise: number; integer: boolean };
  /** Incidents: in each window of `windowHours`, one happens with probability `chance`, lasting `minutes`, at `severity` × threshold. */
  incidents: { windowHours: number; chance: number; minutes: [number, number]; severity: [number, number] };
  /** UTC hours without datapoints (an idle function emits no Duration): [from, to). */
  idleHours: [number, number] | null;
  seed: number;
}

export interface SimulatedCompositeAlarm {
  kind: 'composite';
  name: string;
  environment: string;
  description: string;
  children: string[];
  seed: number;
}

export type SimulatedAlarm = SimulatedMetricAlarm | SimulatedCompositeAlarm;

/** A state set by SetAlarmState (a type, not an interface: it is stored as JSON). */
export type ForcedState = {
  at: string;
  state: AlarmState;
  reason: string;
};

export interface Transition {
  at: number;
  from: AlarmState;
  to: AlarmState;
  reason: string;
}

// ---- deterministic noise -------------------------------------------------------------------

/** FNV-1a of a string: the seed of an alarm. */
function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A number in [0, 1) from (seed, a, b): the same inputs always give the same number. */
function unit(seed: number, a: number, b: number): number {
  let h = (seed ^ Math.imul(a | 0, 0x9e3779b1) ^ Math.imul((a / 4294967296) | 0, 0x85ebca6b) ^ Math.imul(b, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

// ---- the stack's alarms --------------------------------------------------------------------

/** How busy each environment is, and how often things go wrong there. */
const PROFILE: Record<string, { load: number; trouble: number }> = {
  dev: { load: 0.1, trouble: 0.6 },
  staging: { load: 0.3, trouble: 0.8 },
  prod: { load: 1, trouble: 1 },
};

type Template = Omit<SimulatedMetricAlarm, 'kind' | 'name' | 'environment' | 'dimensions' | 'seed' | 'idleHours'> & {
  suffix: string;
  dimensions: (env: string) => Dimension[];
  idleHours?: (env: string) => [number, number] | null;
};

const lambdaDims = (fn: string) => (env: string) => [
  { name: 'FunctionName', value: `serverless-${env}-${fn}` },
  { name: 'Resource', value: `serverless-${env}-${fn}:live` },
];

function lambdaTemplates(fn: string, durationThreshold: number, idle: boolean): Template[] {
  const dims = lambdaDims(fn);
  return [
    {
      suffix: `${fn}-errors`,
      description: `Lambda serverless-<env>-${fn} (alias live) reports errors`,
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions: dims,
      stat: 'Sum',
      unit: 'Count',
      period: 60,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      threshold: 5,
      comparison: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
      base: { level: 0.6, swing: 0.5, noise: 2.5, integer: true },
      incidents: { windowHours: 12, chance: 0.3, minutes: [4, 25], severity: [1.2, 4] },
    },
    {
      suffix: `${fn}-throttles`,
      description: `Lambda serverless-<env>-${fn} is throttled (concurrency limit)`,
      namespace: 'AWS/Lambda',
      metricName: 'Throttles',
      dimensions: dims,
      stat: 'Sum',
      unit: 'Count',
      period: 60,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      threshold: 1,
      comparison: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
      base: { level: 0, swing: 0, noise: 0, integer: true },
      incidents: { windowHours: 48, chance: 0.25, minutes: [3, 12], severity: [1, 12] },
    },
    {
      suffix: `${fn}-duration`,
      description: `p95 duration of serverless-<env>-${fn} near its timeout`,
      namespace: 'AWS/Lambda',
      metricName: 'Duration',
      dimensions: dims,
      stat: 'p95',
      unit: 'Milliseconds',
      period: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      threshold: durationThreshold,
      comparison: 'GreaterThanThreshold',
      treatMissingData: 'missing',
      base: { level: durationThreshold * 0.12, swing: 0.35, noise: 0.5, integer: false },
      incidents: { windowHours: 24, chance: 0.25, minutes: [20, 70], severity: [1.05, 1.6] },
      // An idle function emits no Duration: in dev the worker sleeps at night (INSUFFICIENT_DATA).
      idleHours: idle ? (env) => (env === 'dev' ? [18, 23] : null) : undefined,
    },
  ];
}

const TEMPLATES: Template[] = [
  ...lambdaTemplates('api', 3_000, false),
  ...lambdaTemplates('worker', 10_000, true),
  {
    suffix: 'notifier-errors',
    description: 'The Slack notifier failed to deliver an alarm',
    namespace: 'AWS/Lambda',
    metricName: 'Errors',
    dimensions: lambdaDims('notifier'),
    stat: 'Sum',
    unit: 'Count',
    period: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'notBreaching',
    base: { level: 0, swing: 0, noise: 0, integer: true },
    incidents: { windowHours: 72, chance: 0.3, minutes: [5, 20], severity: [1, 3] },
  },
  {
    suffix: 'dlq-depth',
    description: 'Messages in the dead-letter queue serverless-<env>-jobs-dlq',
    namespace: 'AWS/SQS',
    metricName: 'ApproximateNumberOfMessagesVisible',
    dimensions: (env) => [{ name: 'QueueName', value: `serverless-${env}-jobs-dlq` }],
    stat: 'Maximum',
    unit: 'Count',
    period: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    threshold: 0,
    comparison: 'GreaterThanThreshold',
    treatMissingData: 'notBreaching',
    base: { level: 0, swing: 0, noise: 0, integer: true },
    incidents: { windowHours: 24, chance: 0.25, minutes: [30, 180], severity: [1, 14] },
  },
  {
    suffix: 'queue-age',
    description: 'Age of the oldest message in serverless-<env>-jobs',
    namespace: 'AWS/SQS',
    metricName: 'ApproximateAgeOfOldestMessage',
    dimensions: (env) => [{ name: 'QueueName', value: `serverless-${env}-jobs` }],
    stat: 'Maximum',
    unit: 'Seconds',
    period: 300,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    threshold: 900,
    comparison: 'GreaterThanThreshold',
    treatMissingData: 'notBreaching',
    base: { level: 40, swing: 0.6, noise: 1.5, integer: true },
    incidents: { windowHours: 24, chance: 0.2, minutes: [25, 90], severity: [1.1, 3] },
  },
  {
    suffix: 'rds-cpu',
    description: 'CPU of serverless-<env>-db above 80 % for 15 minutes',
    namespace: 'AWS/RDS',
    metricName: 'CPUUtilization',
    dimensions: (env) => [{ name: 'DBInstanceIdentifier', value: `serverless-${env}-db` }],
    stat: 'Average',
    unit: 'Percent',
    period: 300,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    threshold: 80,
    comparison: 'GreaterThanThreshold',
    treatMissingData: 'missing',
    base: { level: 28, swing: 0.45, noise: 0.5, integer: false },
    incidents: { windowHours: 8, chance: 0.3, minutes: [20, 75], severity: [1.03, 1.2] },
  },
  {
    suffix: 'rds-free-storage',
    description: 'Free storage of serverless-<env>-db below 2 GiB',
    namespace: 'AWS/RDS',
    metricName: 'FreeStorageSpace',
    dimensions: (env) => [{ name: 'DBInstanceIdentifier', value: `serverless-${env}-db` }],
    stat: 'Minimum',
    unit: 'Bytes',
    period: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    threshold: 2 * 1024 ** 3,
    comparison: 'LessThanThreshold',
    treatMissingData: 'missing',
    base: { level: 14 * 1024 ** 3, swing: 0.02, noise: 0.05, integer: true },
    incidents: { windowHours: 168, chance: 0.3, minutes: [60, 240], severity: [1.2, 3] },
  },
  {
    suffix: 'rds-connections',
    description: 'Connections to serverless-<env>-db near max_connections',
    namespace: 'AWS/RDS',
    metricName: 'DatabaseConnections',
    dimensions: (env) => [{ name: 'DBInstanceIdentifier', value: `serverless-${env}-db` }],
    stat: 'Maximum',
    unit: 'Count',
    period: 300,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    threshold: 80,
    comparison: 'GreaterThanThreshold',
    treatMissingData: 'missing',
    base: { level: 14, swing: 0.5, noise: 0.8, integer: true },
    incidents: { windowHours: 48, chance: 0.25, minutes: [15, 45], severity: [1.05, 1.25] },
  },
  {
    suffix: 'proxy-borrow-latency',
    description: 'Time to borrow a database connection from serverless-<env>-proxy (microseconds)',
    namespace: 'AWS/RDS',
    metricName: 'DatabaseConnectionsBorrowLatency',
    dimensions: (env) => [{ name: 'ProxyName', value: `serverless-${env}-proxy` }],
    stat: 'Average',
    unit: 'Microseconds',
    period: 60,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    threshold: 50_000,
    comparison: 'GreaterThanThreshold',
    treatMissingData: 'notBreaching',
    base: { level: 1_800, swing: 0.4, noise: 1.2, integer: true },
    incidents: { windowHours: 24, chance: 0.25, minutes: [6, 30], severity: [1.2, 6] },
  },
  {
    // RDS Proxy's metric for client connections that failed to set up because of authentication
    // or TLS: ClientConnectionsSetupFailedAuth (dimension ProxyName).
    suffix: 'proxy-client-connection-errors',
    description: 'Clients failing to connect to serverless-<env>-proxy (authentication or TLS)',
    namespace: 'AWS/RDS',
    metricName: 'ClientConnectionsSetupFailedAuth',
    dimensions: (env) => [{ name: 'ProxyName', value: `serverless-${env}-proxy` }],
    stat: 'Sum',
    unit: 'Count',
    period: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    threshold: 3,
    comparison: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'notBreaching',
    base: { level: 0.2, swing: 0, noise: 5, integer: true },
    incidents: { windowHours: 72, chance: 0.3, minutes: [10, 40], severity: [1.3, 8] },
  },
];

function fromTemplate(t: Template, env: string, name: string, dims: Dimension[]): SimulatedMetricAlarm {
  const profile = PROFILE[env] ?? { load: 0.5, trouble: 1 };
  const { suffix: _suffix, dimensions: _d, idleHours, ...rest } = t;
  // Load scales traffic-like levels (not storage); trouble scales how often incidents happen.
  const scalesWithLoad = t.namespace === 'AWS/Lambda' || t.metricName === 'DatabaseConnections';
  return {
    ...rest,
    kind: 'metric',
    name,
    environment: env,
    description: t.description.replace('<env>', env),
    dimensions: dims,
    base: { ...t.base, level: scalesWithLoad ? t.base.level * Math.max(profile.load, 0.2) : t.base.level },
    incidents: { ...t.incidents, chance: Math.min(0.95, t.incidents.chance * profile.trouble) },
    idleHours: idleHours?.(env) ?? null,
    seed: seedOf(name),
  };
}

/**
 * The sandbox account's alarms: 16 per environment as the serverless stack defines them, and
 * `extra` synthetic Lambda error alarms spread over the environments (to try the dashboard with
 * hundreds of alarms).
 */
export function sandboxAlarms(extra = 0): SimulatedAlarm[] {
  const out: SimulatedAlarm[] = [];
  for (const env of ENVIRONMENT_SLUGS) {
    for (const t of TEMPLATES) out.push(fromTemplate(t, env, `serverless-${env}-${t.suffix}`, t.dimensions(env)));
    const name = `serverless-${env}-health`;
    out.push({
      kind: 'composite',
      name,
      environment: env,
      description: `Environment ${env} is unhealthy: API errors, database CPU or proxy connection failures`,
      children: [`serverless-${env}-api-errors`, `serverless-${env}-rds-cpu`, `serverless-${env}-proxy-client-connection-errors`],
      seed: seedOf(name),
    });
  }
  const errors = TEMPLATES[0]!;
  for (let i = 1; i <= extra; i++) {
    const env = ENVIRONMENT_SLUGS[i % ENVIRONMENT_SLUGS.length]!;
    const fn = `synthetic-${env}-fn${String(i).padStart(3, '0')}`;
    out.push(
      fromTemplate(errors, env, `${fn}-errors`, [
        { name: 'FunctionName', value: fn },
        { name: 'Resource', value: `${fn}:live` },
      ]),
    );
  }
  return out;
}

// ---- metric values -------------------------------------------------------------------------

interface Incident {
  start: number;
  end: number;
}

function incidentsBetween(a: SimulatedMetricAlarm, from: number, to: number): Incident[] {
  const windowMs = a.incidents.windowHours * 3_600_000;
  const periodMs = a.period * 1000;
  const [minM, maxM] = a.incidents.minutes;
  const out: Incident[] = [];
  for (let w = Math.floor(from / windowMs) - 1; w * windowMs <= to; w++) {
    if (unit(a.seed, w, 1) >= a.incidents.chance) continue;
    const length = Math.ceil(((minM + (maxM - minM) * unit(a.seed, w, 3)) * 60_000) / periodMs) * periodMs;
    const start = w * windowMs + Math.floor((unit(a.seed, w, 2) * Math.max(0, windowMs - length)) / periodMs) * periodMs;
    if (start + length > from && start <= to) out.push({ start, end: start + length });
  }
  return out;
}

function isIdle(a: SimulatedMetricAlarm, t: number): boolean {
  if (!a.idleHours) return false;
  const hour = new Date(t).getUTCHours();
  const [from, to] = a.idleHours;
  return from <= to ? hour >= from && hour < to : hour >= from || hour < to;
}

function idleBetween(a: SimulatedMetricAlarm, from: number, to: number): Incident[] {
  if (!a.idleHours) return [];
  const [h0, h1] = a.idleHours;
  const out: Incident[] = [];
  for (let day = Math.floor(from / 86_400_000) - 1; day * 86_400_000 <= to; day++) {
    const start = day * 86_400_000 + h0 * 3_600_000;
    const end = day * 86_400_000 + (h1 > h0 ? h1 : h1 + 24) * 3_600_000;
    if (end > from && start <= to) out.push({ start, end });
  }
  return out;
}

/** Whether a value breaches the alarm's threshold. */
function breaches(a: SimulatedMetricAlarm, v: number): boolean {
  switch (a.comparison) {
    case 'GreaterThanThreshold':
      return v > a.threshold;
    case 'GreaterThanOrEqualToThreshold':
      return v >= a.threshold;
    case 'LessThanThreshold':
      return v < a.threshold;
  }
}

/**
 * The alarm's statistic for the period starting at `t` (ms, a multiple of the period), or null when
 * the metric has no datapoint then. Outside incidents it stays clear of the threshold, inside it
 * crosses it.
 */
export function metricValue(a: SimulatedMetricAlarm, t: number): number | null {
  if (isIdle(a, t)) return null;
  const slot = Math.floor(t / 1000 / a.period);
  const below = a.comparison === 'LessThanThreshold';
  const windowMs = a.incidents.windowHours * 3_600_000;
  const w = Math.floor(t / windowMs);
  // An incident lies within its window (see incidentsBetween); inlined, as this runs per datapoint.
  for (const inc of [w]) {
    if (unit(a.seed, inc, 1) >= a.incidents.chance) continue;
    const periodMs = a.period * 1000;
    const [minM, maxM] = a.incidents.minutes;
    const length = Math.ceil(((minM + (maxM - minM) * unit(a.seed, inc, 3)) * 60_000) / periodMs) * periodMs;
    const start = inc * windowMs + Math.floor((unit(a.seed, inc, 2) * Math.max(0, windowMs - length)) / periodMs) * periodMs;
    if (t >= start && t < start + length) {
      const [lo, hi] = a.incidents.severity;
      const severity = lo + (hi - lo) * unit(a.seed, slot, 4);
      if (below) return Math.round(a.threshold / severity);
      const v = a.threshold === 0 ? severity : a.threshold * severity;
      return a.base.integer ? Math.max(Math.ceil(v), a.threshold + (a.comparison === 'GreaterThanThreshold' ? 1 : 0)) : Math.round(v * 100) / 100;
    }
  }
  const day = (t % 86_400_000) / 86_400_000;
  const wave = 1 + a.base.swing * Math.sin(2 * Math.PI * (day - 0.25 + (a.seed % 100) / 400));
  let v = a.base.level * wave + a.base.level * a.base.noise * (unit(a.seed, slot, 5) - 0.3);
  // Normal behaviour never reaches the threshold: only incidents do.
  if (below) v = Math.max(v, a.threshold * 1.25);
  else v = Math.min(Math.max(v, 0), a.threshold === 0 ? 0 : a.threshold * 0.8 - (a.base.integer ? 1 : 0));
  return a.base.integer ? Math.max(0, Math.round(v)) : Math.round(v * 100) / 100;
}

// ---- evaluation ----------------------------------------------------------------------------

const SYMBOL: Record<Comparison, string> = {
  GreaterThanThreshold: 'greater than',
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  LessThanThreshold: 'less than',
};

function formatDatapoint(v: number, t: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${Number.isInteger(v) ? v.toFixed(1) : v} (${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCFullYear() % 100)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:00)`;
}

/** The state CloudWatch would give the alarm when evaluating at `t` (a period boundary). */
export function stateAt(a: SimulatedMetricAlarm, t: number): AlarmState {
  const periodMs = a.period * 1000;
  let present = 0;
  let breaching = 0;
  for (let i = 1; i <= a.evaluationPeriods; i++) {
    const v = metricValue(a, t - i * periodMs);
    if (v === null) continue;
    present++;
    if (breaches(a, v)) breaching++;
  }
  if (present === 0 && a.treatMissingData === 'missing') return 'INSUFFICIENT_DATA';
  return present > 0 && breaching >= a.datapointsToAlarm ? 'ALARM' : 'OK';
}

/** The state at `t` with CloudWatch's reason, naming the datapoints it evaluated. */
export function evaluateAt(a: SimulatedMetricAlarm, t: number): { state: AlarmState; reason: string } {
  const periodMs = a.period * 1000;
  const points: { t: number; v: number | null }[] = [];
  for (let i = 1; i <= a.evaluationPeriods; i++) points.push({ t: t - i * periodMs, v: metricValue(a, t - i * periodMs) });
  const present = points.filter((p): p is { t: number; v: number } => p.v !== null);
  const n = a.evaluationPeriods;
  if (present.length === 0 && a.treatMissingData === 'missing') {
    return { state: 'INSUFFICIENT_DATA', reason: `Insufficient Data: ${n} datapoint${n === 1 ? ' was' : 's were'} unknown.` };
  }
  if (present.length === 0) {
    return {
      state: 'OK',
      reason: `Threshold Crossed: no datapoints were received for ${n} period${n === 1 ? '' : 's'} and ${n} missing datapoint${n === 1 ? ' was' : 's were'} treated as [NonBreaching].`,
    };
  }
  const breaching = present.filter((p) => breaches(a, p.v));
  const listed = present.map((p) => formatDatapoint(p.v, p.t)).join(', ');
  const threshold = Number.isInteger(a.threshold) ? a.threshold.toFixed(1) : String(a.threshold);
  if (breaching.length >= a.datapointsToAlarm) {
    return {
      state: 'ALARM',
      reason: `Threshold Crossed: ${breaching.length} out of the last ${n} datapoints [${listed}] were ${SYMBOL[a.comparison]} the threshold (${threshold}) (minimum ${a.datapointsToAlarm} datapoint${a.datapointsToAlarm === 1 ? '' : 's'} for OK -> ALARM transition).`,
    };
  }
  const clear = present.length - breaching.length;
  return {
    state: 'OK',
    reason: `Threshold Crossed: ${clear} out of the last ${n} datapoints [${listed}] ${clear === 1 ? 'was' : 'were'} not ${SYMBOL[a.comparison]} the threshold (${threshold}) (minimum 1 datapoint for ALARM -> OK transition).`,
  };
}

/** Merges overlapping intervals. */
function merge(intervals: Incident[]): Incident[] {
  const sorted = [...intervals].sort((x, y) => x.start - y.start);
  const out: Incident[] = [];
  for (const i of sorted) {
    const last = out.at(-1);
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

const OK_REASON = 'Threshold Crossed: no datapoint was breaching the threshold.';

/**
 * The evaluated state changes of a metric alarm in (from, to], and its state at `from`. Only the
 * times around incidents and idle hours can differ from OK, so only those are evaluated, period by
 * period.
 */
function evaluationWindows(a: SimulatedMetricAlarm, from: number, to: number): Incident[] {
  const span = a.evaluationPeriods * a.period * 1000;
  return merge([...incidentsBetween(a, from - span, to), ...idleBetween(a, from - span, to)].map((i) => ({ start: i.start, end: i.end + span })));
}

function metricTimeline(a: SimulatedMetricAlarm, from: number, to: number): { initial: { state: AlarmState; reason: string }; changes: Transition[] } {
  const periodMs = a.period * 1000;
  const windows = evaluationWindows(a, from, to);
  const align = (t: number) => Math.floor(t / periodMs) * periodMs;
  const inWindow = (t: number) => windows.some((w) => t >= w.start && t <= w.end);
  const initial = inWindow(from) ? evaluateAt(a, align(from)) : { state: 'OK' as AlarmState, reason: OK_REASON };
  const changes: Transition[] = [];
  let current = initial.state;
  for (const w of windows) {
    for (let t = Math.max(align(w.start), align(from) + periodMs); t <= Math.min(w.end + periodMs, to); t += periodMs) {
      const next = stateAt(a, t);
      // The reason (datapoints listed) is written only where the state changes.
      if (next !== current) changes.push({ at: t, from: current, to: next, reason: evaluateAt(a, t).reason });
      current = next;
    }
  }
  return { initial, changes };
}

/**
 * The state at `to` and since when, looking at the newest evaluation window with a change first
 * (what DescribeAlarms needs: much cheaper than the whole timeline). `at` is null when nothing
 * changed since `from`.
 */
function lastMetricChange(a: SimulatedMetricAlarm, from: number, to: number): { state: AlarmState; reason: string; at: number | null } {
  const periodMs = a.period * 1000;
  const align = (t: number) => Math.floor(t / periodMs) * periodMs;
  const windows = evaluationWindows(a, from, to);
  const containsFrom = (w: Incident) => from >= w.start && from <= w.end;
  for (let i = windows.length - 1; i >= 0; i--) {
    const w = windows[i]!;
    let current: AlarmState = containsFrom(w) ? stateAt(a, align(from)) : 'OK';
    let last: number | null = null;
    let lastState: AlarmState = current;
    for (let t = Math.max(align(w.start), align(from) + periodMs); t <= Math.min(w.end + periodMs, to); t += periodMs) {
      const next = stateAt(a, t);
      if (next !== current) {
        last = t;
        lastState = next;
      }
      current = next;
    }
    if (last !== null) return { state: lastState, reason: evaluateAt(a, last).reason, at: last };
  }
  const initial = windows.some(containsFrom) ? evaluateAt(a, align(from)) : { state: 'OK' as AlarmState, reason: OK_REASON };
  return { ...initial, at: null };
}

/** Applies states set by SetAlarmState: each holds for FORCED_STATE_HOLD_MS, then evaluation takes over. */
function withForced(timeline: { initial: { state: AlarmState; reason: string }; changes: Transition[] }, forced: ForcedState[], from: number, to: number) {
  const holds = forced
    .map((f) => ({ at: Date.parse(f.at), until: Date.parse(f.at) + FORCED_STATE_HOLD_MS, state: f.state, reason: f.reason }))
    .filter((f) => f.until > from && f.at <= to)
    .sort((x, y) => x.at - y.at);
  if (holds.length === 0) return timeline;
  const natural = (t: number) => {
    let s = timeline.initial;
    for (const c of timeline.changes) if (c.at <= t) s = { state: c.to, reason: c.reason };
    return s;
  };
  const holdAt = (t: number) => [...holds].reverse().find((h) => h.at <= t && t < h.until) ?? null;
  const times = new Set<number>([...timeline.changes.map((c) => c.at), ...holds.flatMap((h) => [h.at, h.until])]);
  const effective = (t: number) => {
    const h = holdAt(t);
    return h ? { state: h.state, reason: h.reason } : natural(t);
  };
  const initial = effective(from);
  const changes: Transition[] = [];
  let current = initial;
  for (const t of [...times].filter((x) => x > from && x <= to).sort((x, y) => x - y)) {
    const next = effective(t);
    if (next.state !== current.state) changes.push({ at: t, from: current.state, to: next.state, reason: next.reason });
    current = next;
  }
  return { initial, changes };
}

/**
 * The first moment in [from, to] when one of `names` is held in ALARM by SetAlarmState (the newest
 * state set holds for FORCED_STATE_HOLD_MS), with its reason; null when none is. What the sandbox's
 * simulated CodeDeploy watches (docs/decisions/044-traffic-shift.md): only states set on purpose, so
 * a deployment never rolls back because of a simulated incident the clock happened to place there.
 */
export function firstForcedAlarm(
  forced: Map<string, ForcedState[]>,
  names: readonly string[],
  from: number,
  to: number,
): { at: number; alarm: string; reason: string } | null {
  let first: { at: number; alarm: string; reason: string } | null = null;
  for (const alarm of names) {
    const holds = (forced.get(alarm) ?? []).map((f) => ({ at: Date.parse(f.at), state: f.state, reason: f.reason })).sort((a, b) => a.at - b.at);
    const holding = (t: number) => [...holds].reverse().find((h) => h.at <= t && t < h.at + FORCED_STATE_HOLD_MS) ?? null;
    for (const t of [from, ...holds.map((h) => h.at).filter((x) => x > from && x <= to)]) {
      const h = holding(t);
      if (h?.state === 'ALARM') {
        if (!first || t < first.at) first = { at: t, alarm, reason: h.reason };
        break;
      }
    }
  }
  return first;
}

/** The sandbox's alarms with their timelines, for one moment: what DescribeAlarms and history answer. */
export function createAlarmTimelines(alarms: SimulatedAlarm[], forced: Map<string, ForcedState[]>) {
  const byName = new Map(alarms.map((a) => [a.name, a]));
  const memo = new Map<string, { initial: { state: AlarmState; reason: string }; changes: Transition[] }>();

  function timeline(name: string, from: number, to: number): { initial: { state: AlarmState; reason: string }; changes: Transition[] } {
    const key = `${name}|${from}|${to}`;
    const hit = memo.get(key);
    if (hit) return hit;
    const a = byName.get(name);
    if (!a) return { initial: { state: 'INSUFFICIENT_DATA', reason: 'Unknown alarm' }, changes: [] };
    let result;
    if (a.kind === 'metric') {
      result = withForced(metricTimeline(a, from, to), forced.get(name) ?? [], from, to);
    } else {
      const children = a.children.map((c) => ({ name: c, t: timeline(c, from, to) }));
      const stateOf = (t: number) => {
        const firing = children.filter(({ t: tl }) => {
          let s = tl.initial.state;
          for (const c of tl.changes) if (c.at <= t) s = c.to;
          return s === 'ALARM';
        });
        return firing.length
          ? { state: 'ALARM' as AlarmState, reason: `arn:aws:cloudwatch:<region>:<account>:alarm:${firing[0]!.name} transitioned to ALARM` }
          : { state: 'OK' as AlarmState, reason: 'No alarm of the rule is in ALARM' };
      };
      const initial = stateOf(from);
      const changes: Transition[] = [];
      let current = initial;
      const times = [...new Set(children.flatMap((c) => c.t.changes.map((x) => x.at)))].sort((x, y) => x - y);
      for (const t of times) {
        const next = stateOf(t);
        if (next.state !== current.state) changes.push({ at: t, from: current.state, to: next.state, reason: next.reason });
        current = next;
      }
      result = withForced({ initial, changes }, forced.get(name) ?? [], from, to);
    }
    memo.set(key, result);
    return result;
  }

  return { byName, timeline };
}

/** A simulated reason names the alarm's account and region as placeholders: this fills them in. */
export function placeReason(reason: string, accountId: string, region: string): string {
  return reason.replace('<region>', region).replace('<account>', accountId);
}

/** The current state of each alarm in one account, and since when (the last change within the lookback). */
export function describeSimulatedAlarms(
  alarms: SimulatedAlarm[],
  forced: Map<string, ForcedState[]>,
  region: string,
  now: number,
  accountId: string = SANDBOX_ACCOUNT_ID,
): AlarmRecord[] {
  const timelines = createAlarmTimelines(alarms, forced);
  const from = now - LOOKBACK_MS;
  return alarms.map((a) => {
    if (a.kind === 'metric' && !forced.has(a.name)) {
      const last = lastMetricChange(a, from, now);
      return toRecord(a, accountId, region, last.state, last.reason, new Date(last.at ?? from).toISOString());
    }
    const { initial, changes } = timelines.timeline(a.name, from, now);
    const last = changes.at(-1);
    const state = last ? last.to : initial.state;
    const reason = placeReason(last ? last.reason : initial.reason, accountId, region);
    return toRecord(a, accountId, region, state, reason, new Date(last ? last.at : from).toISOString());
  });
}

function toRecord(a: SimulatedAlarm, accountId: string, region: string, state: AlarmState, reason: string, since: string): AlarmRecord {
  const topic = `arn:aws:sns:${region}:${accountId}:serverless-${a.environment}-alarms`;
  const base = {
    region,
    name: a.name,
    arn: `arn:aws:cloudwatch:${region}:${accountId}:alarm:${a.name}`,
    description: a.description,
    state,
    stateReason: reason,
    stateUpdatedAt: since,
    actionsEnabled: true,
    alarmActions: [topic],
    okActions: [topic],
    insufficientDataActions: [],
  };
  if (a.kind === 'composite') {
    return {
      ...base,
      type: 'composite',
      metric: null,
      metrics: null,
      period: null,
      evaluationPeriods: null,
      datapointsToAlarm: null,
      threshold: null,
      comparison: null,
      treatMissingData: null,
      unit: null,
      rule: a.children.map((c) => `ALARM("${c}")`).join(' OR '),
    };
  }
  return {
    ...base,
    type: 'metric',
    metric: { namespace: a.namespace, metricName: a.metricName, dimensions: a.dimensions, stat: a.stat },
    metrics: null,
    period: a.period,
    evaluationPeriods: a.evaluationPeriods,
    datapointsToAlarm: a.datapointsToAlarm,
    threshold: a.threshold,
    comparison: a.comparison,
    treatMissingData: a.treatMissingData,
    unit: a.unit,
    rule: null,
  };
}

const AGGREGATE: Record<string, (values: number[]) => number> = {
  Sum: (v) => v.reduce((x, y) => x + y, 0),
  Maximum: (v) => Math.max(...v),
  Minimum: (v) => Math.min(...v),
  SampleCount: (v) => v.length,
};
const average = (v: number[]) => v.reduce((x, y) => x + y, 0) / v.length;

/**
 * The metric's datapoints at `period` seconds between two times with the statistic `stat`: each
 * point aggregates the simulated datapoints (at the alarm's period) that fall in it. Points without
 * data are left out, as GetMetricData does.
 */
export function simulatedSeries(a: SimulatedMetricAlarm, stat: string, from: number, to: number, period: number): { t: number; v: number }[] {
  const step = period * 1000;
  const own = a.period * 1000;
  const aggregate = AGGREGATE[stat] ?? average;
  const out: { t: number; v: number }[] = [];
  for (let b = Math.ceil(from / step) * step; b < to; b += step) {
    const values: number[] = [];
    if (step <= own) {
      const v = metricValue(a, Math.floor(b / own) * own);
      if (v !== null) values.push(v);
    } else {
      for (let t = b; t < b + step; t += own) {
        const v = metricValue(a, t);
        if (v !== null) values.push(v);
      }
    }
    if (values.length) out.push({ t: b, v: Math.round(aggregate(values) * 1000) / 1000 });
  }
  return out;
}
