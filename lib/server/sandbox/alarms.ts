import 'server-only';
import { AppError } from '@/lib/errors';
import { evaluateHealthAnswer } from '@/lib/alarms/environment-health';
import type { AlarmHistoryRecord, AlarmState, MetricSeries } from '@/lib/alarms/model';
import type { CloudWatchPort, HealthSource, SnsPort } from '@/lib/alarms/ports';
import { ENVIRONMENT_SLUGS, isEnvironmentSlug, type EnvironmentSlug } from '@/lib/environments';
import type { SandboxStore } from '@/lib/server/db/repositories/sandbox-objects';
import {
  createAlarmTimelines,
  describeSimulatedAlarms,
  LOOKBACK_MS,
  placeReason,
  sandboxAlarms,
  simulatedSeries,
  type ForcedState,
  type SimulatedAlarm,
  type SimulatedMetricAlarm,
} from '@/lib/server/sandbox/alarm-simulation';

// The sandbox accounts' CloudWatch, SNS and environment health (docs/decisions/013-alarm-sandbox-and-health.md,
// 040-sandbox-accounts.md). Alarm definitions and metrics come from the simulation; what the portal
// changes (states set with SetAlarmState) and the alarm topics are documents in each account's
// sandbox store, shared by every replica. Each account holds the alarms of its own environments.

// Types (not interfaces) so that they are JSON values for the store.
type StoredForcedState = ForcedState & {
  region: string;
  name: string;
};

type StoredTopic = {
  name: string;
  subscriptions: { arn: string; protocol: string; endpoint: string }[];
};

export interface SandboxAlarmOptions {
  /** The account's store (the account is `store.accountId`). */
  store: SandboxStore;
  /** The environments whose stacks live in this account: it holds only their alarms (default: all, one account). */
  environments?: readonly EnvironmentSlug[];
  /** The region the sandbox account's stack lives in; other regions have no alarms. */
  region: string;
  /** Synthetic alarms added to the stack's (GATEHOUSE_SANDBOX_EXTRA_ALARMS). */
  extra?: number;
  now?: () => Date;
}

const definitions = new Map<number, SimulatedAlarm[]>();

/** The simulated alarms of some environments (all of them built once per count: they are a pure function of it). */
function alarmsOf(extra: number, environments: readonly string[]): SimulatedAlarm[] {
  let list = definitions.get(extra);
  if (!list) definitions.set(extra, (list = sandboxAlarms(extra)));
  return list.filter((a) => environments.includes(a.environment));
}

/** The states set with SetAlarmState in one account and region, by alarm. */
export async function forcedStates(store: SandboxStore, region: string): Promise<Map<string, ForcedState[]>> {
  const byName = new Map<string, ForcedState[]>();
  for (const { data } of await store.list<StoredForcedState>('cloudwatch', 'alarm-state')) {
    if (data.region !== region) continue;
    byName.set(data.name, [...(byName.get(data.name) ?? []), { at: data.at, state: data.state, reason: data.reason }]);
  }
  return byName;
}

const topicArn = (accountId: string, region: string, env: string) => `arn:aws:sns:${region}:${accountId}:serverless-${env}-alarms`;

/** CloudWatch of one sandbox account: the alarms of its environments' stacks. */
export function createSandboxCloudWatch({
  store,
  environments = ENVIRONMENT_SLUGS,
  region: home,
  extra = 0,
  now = () => new Date(),
}: SandboxAlarmOptions): CloudWatchPort {
  const alarms = alarmsOf(extra, environments);
  const known = (region: string, name: string) => region === home && alarms.some((a) => a.name === name);

  return {
    async describeAlarms(region) {
      if (region !== home) return [];
      return describeSimulatedAlarms(alarms, await forcedStates(store, region), region, now().getTime(), store.accountId);
    },

    async describeAlarmHistory(region, name, from, to, limit) {
      if (!known(region, name)) return [];
      const { timeline, byName } = createAlarmTimelines(alarms, await forcedStates(store, region));
      const end = Math.min(to.getTime(), now().getTime());
      const { changes } = timeline(name, from.getTime(), end);
      const topic = topicArn(store.accountId, region, byName.get(name)!.environment);
      const items: AlarmHistoryRecord[] = [];
      for (const c of changes) {
        const reason = placeReason(c.reason, store.accountId, region);
        items.push({
          timestamp: new Date(c.at).toISOString(),
          type: 'StateUpdate',
          summary: `Alarm updated from ${c.from} to ${c.to}`,
          data: JSON.stringify({ version: '1.0', oldState: { stateValue: c.from }, newState: { stateValue: c.to, stateReason: reason } }),
        });
        // ALARM and OK actions publish to the environment's topic (the notifier posts to Slack).
        if (c.to !== 'INSUFFICIENT_DATA' && c.at + 1000 <= end) {
          items.push({
            timestamp: new Date(c.at + 1000).toISOString(),
            type: 'Action',
            summary: `Successfully executed action ${topic}`,
            data: JSON.stringify({ actionState: 'Succeeded', notificationResource: topic, publishedMessage: { default: `${name} is ${c.to}` } }),
          });
        }
      }
      return items.sort((a, b) => b.timestamp.localeCompare(a.timestamp)).slice(0, limit);
    },

    async getMetricData(region, queries, from, to): Promise<MetricSeries[]> {
      const metricAlarms = region === home ? alarms.filter((a): a is SimulatedMetricAlarm => a.kind === 'metric') : [];
      const identity = (ns: string, metric: string, dims: { name: string; value: string }[]) =>
        `${ns}|${metric}|${[...dims]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((d) => `${d.name}=${d.value}`)
          .join(',')}`;
      const index = new Map(metricAlarms.map((a) => [identity(a.namespace, a.metricName, a.dimensions), a]));
      return queries
        .filter((q) => q.returnData)
        .map((q) => {
          const a = q.metric ? index.get(identity(q.metric.namespace, q.metric.metricName, q.metric.dimensions)) : undefined;
          // Metric math is not evaluated by the sandbox; a metric it does not simulate has no data (as in CloudWatch).
          const points = a && q.metric ? simulatedSeries(a, q.metric.stat, from.getTime(), Math.min(to.getTime(), now().getTime()), q.metric.period) : [];
          return {
            id: q.id,
            label: q.label ?? q.metric?.metricName ?? q.id,
            points: points.map((p) => ({ t: new Date(p.t).toISOString(), v: p.v })),
            partial: false,
          };
        });
    },

    async setAlarmState(region, name, state: AlarmState, reason) {
      if (!known(region, name))
        throw new AppError('NOT_FOUND', `CloudWatch SetAlarmState: Alarm ${name} not found`, {
          awsError: 'ResourceNotFound',
          operation: 'CloudWatch SetAlarmState',
        });
      const at = now();
      // One document per call: concurrent calls never overwrite each other.
      await store.put<StoredForcedState>('cloudwatch', 'alarm-state', `${region}|${name}|${at.toISOString()}`, {
        region,
        name,
        at: at.toISOString(),
        state,
        reason: reason.slice(0, 1023),
      });
      for (const { key, data } of await store.list<StoredForcedState>('cloudwatch', 'alarm-state')) {
        if (Date.parse(data.at) < at.getTime() - LOOKBACK_MS) await store.remove('cloudwatch', 'alarm-state', key);
      }
    },
  };
}

/** SNS of one sandbox account: the alarm topics seeded at startup. */
export function createSandboxSns(store: SandboxStore): SnsPort {
  return {
    async listSubscriptions(_region, arn) {
      const topic = await store.get<StoredTopic>('sns', 'topic', arn);
      if (!topic)
        throw new AppError('NOT_FOUND', 'SNS ListSubscriptionsByTopic: Topic does not exist', {
          awsError: 'NotFoundException',
          operation: 'SNS ListSubscriptionsByTopic',
        });
      return topic.subscriptions;
    },
  };
}

/** Creates the alarm topic of each environment of the account, subscribed by its Slack notifier Lambda (alias live). Safe to re-run. */
export async function ensureSandboxAlarmTopics(
  store: SandboxStore,
  region: string,
  environments: readonly EnvironmentSlug[] = ENVIRONMENT_SLUGS,
): Promise<void> {
  for (const env of environments) {
    const arn = topicArn(store.accountId, region, env);
    const subscription = `${arn}:${['5e1b', '4c2a', 'b7f0', '93d1'].map((s, i) => `${s}${env.length * 7 + i}`).join('-')}`;
    await store.createIfAbsent<StoredTopic>('sns', 'topic', arn, {
      name: `serverless-${env}-alarms`,
      subscriptions: [
        { arn: subscription, protocol: 'lambda', endpoint: `arn:aws:lambda:${region}:${store.accountId}:function:serverless-${env}-notifier:live` },
      ],
    });
  }
}

/** A number in [0, 1) from a string, for latencies that vary per check but not per replica. */
function jitter(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return ((h >>> 0) % 10_000) / 10_000;
}

export interface SandboxHealthOptions {
  /** The account an environment's stack lives in: its store and the region of its alarms. */
  accountOf: (environment: EnvironmentSlug) => { store: SandboxStore; region: string };
  extra?: number;
}

/**
 * The environments' health endpoints, simulated from the same alarms: the API answers through API
 * Gateway, checks the database through RDS Proxy, and fails the way the alarms say — API errors:
 * a gateway error page; proxy authentication failures or database CPU: the DB check fails (503);
 * slow connection borrowing: a slow answer. The answer goes through the same evaluation as a real one.
 */
export function createSandboxHealthSource({ accountOf, extra = 0 }: SandboxHealthOptions): HealthSource {
  return {
    environments: () => [...ENVIRONMENT_SLUGS],
    async check(environment, at) {
      const t = at.getTime();
      // Endpoints are public: every environment is checked, each from the alarms of its own account.
      if (!isEnvironmentSlug(environment)) throw new AppError('NOT_FOUND', `The sandbox has no environment ${environment}.`);
      const { store, region } = accountOf(environment);
      const { timeline } = createAlarmTimelines(alarmsOf(extra, [environment]), await forcedStates(store, region));
      const firing = (suffix: string) => {
        const { initial, changes } = timeline(`serverless-${environment}-${suffix}`, t - 3_600_000, t);
        return (changes.at(-1)?.to ?? initial.state) === 'ALARM';
      };
      const r = jitter(`${environment}|${t}`);
      const version = `serverless-${environment}@2026.11.28-${(1 + jitter(environment) * 9) | 0}`;
      const body = (status: string, db: object) => JSON.stringify({ status, db, version });
      if (firing('api-errors')) return evaluateHealthAnswer(502, '{"message": "Internal server error"}', 25 + 40 * r);
      if (firing('proxy-client-connection-errors')) {
        return evaluateHealthAnswer(
          503,
          body('error', { ok: false, latencyMs: 12 + 10 * r, error: 'RDS Proxy refused the connection: authentication failed' }),
          60 + 30 * r,
        );
      }
      if (firing('rds-cpu'))
        return evaluateHealthAnswer(503, body('error', { ok: false, latencyMs: 1000, error: 'query timed out after 1000 ms' }), 1040 + 60 * r);
      if (firing('proxy-borrow-latency')) return evaluateHealthAnswer(200, body('ok', { ok: true, latencyMs: 1900 + 500 * r }), 2050 + 500 * r);
      return evaluateHealthAnswer(200, body('ok', { ok: true, latencyMs: 2 + 8 * r }), 35 + 85 * r);
    },
  };
}
