import { describe, expect, it } from 'vitest';
import type { AlarmState } from '@/lib/alarms/model';
import {
  createAlarmTimelines,
  describeSimulatedAlarms,
  evaluateAt,
  FORCED_STATE_HOLD_MS,
  LOOKBACK_MS,
  metricValue,
  sandboxAlarms,
  simulatedSeries,
  stateAt,
  type SimulatedMetricAlarm,
} from '@/lib/server/sandbox/alarm-simulation';

const NOW = Date.parse('2026-11-30T09:00:00.000Z');
const ALARMS = sandboxAlarms();
const metric = (name: string) => ALARMS.find((a) => a.name === name) as SimulatedMetricAlarm;

describe('sandboxAlarms', () => {
  it('defines the serverless stack alarms per environment, named as in infra/', () => {
    const suffixes = [
      'api-errors',
      'api-throttles',
      'api-duration',
      'worker-errors',
      'worker-throttles',
      'worker-duration',
      'notifier-errors',
      'dlq-depth',
      'queue-age',
      'rds-cpu',
      'rds-free-storage',
      'rds-connections',
      'proxy-borrow-latency',
      'proxy-client-connection-errors',
      'health',
    ];
    expect(ALARMS.map((a) => a.name)).toEqual(['dev', 'staging', 'prod'].flatMap((env) => suffixes.map((s) => `serverless-${env}-${s}`)));
    expect(metric('serverless-prod-api-errors')).toMatchObject({
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions: [
        { name: 'FunctionName', value: 'serverless-prod-api' },
        { name: 'Resource', value: 'serverless-prod-api:live' },
      ],
    });
    expect(metric('serverless-staging-dlq-depth')).toMatchObject({
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: [{ name: 'QueueName', value: 'serverless-staging-jobs-dlq' }],
    });
    expect(metric('serverless-staging-queue-age')).toMatchObject({
      metricName: 'ApproximateAgeOfOldestMessage',
      dimensions: [{ name: 'QueueName', value: 'serverless-staging-jobs' }],
    });
    expect(metric('serverless-dev-proxy-borrow-latency')).toMatchObject({
      namespace: 'AWS/RDS',
      metricName: 'DatabaseConnectionsBorrowLatency',
      dimensions: [{ name: 'ProxyName', value: 'serverless-dev-proxy' }],
    });
    expect(metric('serverless-dev-proxy-client-connection-errors')).toMatchObject({
      metricName: 'ClientConnectionsSetupFailedAuth',
      dimensions: [{ name: 'ProxyName', value: 'serverless-dev-proxy' }],
    });
    expect(ALARMS.find((a) => a.name === 'serverless-prod-health')).toMatchObject({
      kind: 'composite',
      children: ['serverless-prod-api-errors', 'serverless-prod-rds-cpu', 'serverless-prod-proxy-client-connection-errors'],
    });
  });

  it('adds synthetic alarms on request, to 500 in all', () => {
    const all = sandboxAlarms(455);
    expect(all).toHaveLength(500);
    expect(new Set(all.map((a) => a.name)).size).toBe(500);
    expect(all.at(-1)).toMatchObject({
      name: 'synthetic-prod-fn455-errors',
      dimensions: [
        { name: 'FunctionName', value: 'synthetic-prod-fn455' },
        { name: 'Resource', value: 'synthetic-prod-fn455:live' },
      ],
    });
  });
});

describe('metric values and states', () => {
  const week = Array.from({ length: (7 * 86_400) / 300 }, (_, i) => NOW - i * 300_000);

  it('are a function of (alarm, time): the same every time they are asked', () => {
    const cpu = metric('serverless-prod-rds-cpu');
    expect(week.slice(0, 50).map((t) => metricValue(cpu, t))).toEqual(week.slice(0, 50).map((t) => metricValue(cpu, t)));
  });

  it('move within a day and cross the threshold during incidents only, for every alarm', () => {
    for (const a of ALARMS.filter((x): x is SimulatedMetricAlarm => x.kind === 'metric')) {
      const values = week
        .filter((t) => t % (a.period * 1000) === 0)
        .map((t) => metricValue(a, t))
        .filter((v): v is number => v !== null);
      const breaching = values.filter((v) =>
        a.comparison === 'LessThanThreshold' ? v < a.threshold : a.comparison === 'GreaterThanThreshold' ? v > a.threshold : v >= a.threshold,
      );
      expect(breaching.length, a.name).toBeLessThan(values.length * 0.2);
      // Levels and latencies move; rare counts (errors in dev) may sit at zero.
      if (!a.base.integer || a.base.level >= 5) expect(new Set(values).size, a.name).toBeGreaterThan(5);
    }
    // Across the stack, a week holds incidents.
    const prodCpu = metric('serverless-prod-rds-cpu');
    expect(week.some((t) => (metricValue(prodCpu, t) ?? 0) > 80)).toBe(true);
  });

  it('evaluates N of M datapoints like CloudWatch, with its reason', () => {
    const cpu = metric('serverless-prod-rds-cpu');
    const alarmed = week.find((t) => stateAt(cpu, t) === 'ALARM')!;
    const e = evaluateAt(cpu, alarmed);
    expect(e.state).toBe('ALARM');
    expect(e.reason).toMatch(
      /^Threshold Crossed: 3 out of the last 3 datapoints \[\d+(\.\d+)? \(\d\d\/\d\d\/26 \d\d:\d\d:00\), .+\] were greater than the threshold \(80\.0\) \(minimum 3 datapoints for OK -> ALARM transition\)\.$/,
    );
    const clear = week.find((t) => stateAt(cpu, t) === 'OK')!;
    expect(evaluateAt(cpu, clear).reason).toMatch(/^Threshold Crossed: 3 out of the last 3 datapoints .+ were not greater than the threshold \(80\.0\)/);
  });

  it('has no data (INSUFFICIENT_DATA) for the idle dev worker at night', () => {
    const duration = metric('serverless-dev-worker-duration');
    const night = Date.parse('2026-11-29T20:00:00.000Z');
    expect(metricValue(duration, night)).toBeNull();
    expect(evaluateAt(duration, night)).toEqual({ state: 'INSUFFICIENT_DATA', reason: 'Insufficient Data: 3 datapoints were unknown.' });
    expect(metricValue(metric('serverless-prod-worker-duration'), night)).not.toBeNull();
  });
});

describe('timelines', () => {
  const from = NOW - LOOKBACK_MS;

  it('record every change, each starting where the last ended, and agree with the evaluation', () => {
    const { timeline } = createAlarmTimelines(ALARMS, new Map());
    let total = 0;
    for (const a of ALARMS) {
      const { initial, changes } = timeline(a.name, from, NOW);
      let state: AlarmState = initial.state;
      for (const c of changes) {
        expect(c.from, a.name).toBe(state);
        expect(c.to).not.toBe(c.from);
        if (a.kind === 'metric') expect(stateAt(a, c.at)).toBe(c.to);
        state = c.to;
      }
      total += changes.length;
    }
    expect(total).toBeGreaterThan(100);
  });

  it('put a composite alarm in ALARM exactly while one of its children is', () => {
    const { timeline } = createAlarmTimelines(ALARMS, new Map());
    const stateOf = (name: string, t: number) => {
      const { initial, changes } = timeline(name, from, NOW);
      return changes.filter((c) => c.at <= t).at(-1)?.to ?? initial.state;
    };
    const children = ['serverless-prod-api-errors', 'serverless-prod-rds-cpu', 'serverless-prod-proxy-client-connection-errors'];
    const times = [...new Set(children.flatMap((c) => timeline(c, from, NOW).changes.map((x) => x.at)))];
    expect(times.length).toBeGreaterThan(4);
    for (const t of times) {
      expect(stateOf('serverless-prod-health', t)).toBe(children.some((c) => stateOf(c, t) === 'ALARM') ? 'ALARM' : 'OK');
    }
  });

  it('describe the current state and since when, the same as the full timeline says', () => {
    const all = sandboxAlarms(100);
    for (const now of [NOW, NOW + 3_601_000, NOW + 86_400_000 * 3 + 420_000]) {
      const { timeline } = createAlarmTimelines(all, new Map());
      for (const r of describeSimulatedAlarms(all, new Map(), 'eu-central-1', now)) {
        const { initial, changes } = timeline(r.name, now - LOOKBACK_MS, now);
        expect(r.state, r.name).toBe(changes.at(-1)?.to ?? initial.state);
        expect(r.stateUpdatedAt).toBe(new Date(changes.at(-1)?.at ?? now - LOOKBACK_MS).toISOString());
      }
    }
  });

  it('hold a state set with SetAlarmState for ten minutes, then evaluation takes over', () => {
    const name = 'serverless-staging-worker-throttles';
    const quiet = Array.from({ length: 200 }, (_, i) => NOW - i * 3_600_000).find((t) => {
      const { changes } = createAlarmTimelines(ALARMS, new Map()).timeline(name, t - 3_600_000, t + 3_600_000);
      return changes.length === 0;
    })!;
    const forced = new Map([[name, [{ at: new Date(quiet).toISOString(), state: 'ALARM' as const, reason: 'Testing the Slack path' }]]]);
    const during = describeSimulatedAlarms(ALARMS, forced, 'eu-central-1', quiet + 60_000).find((r) => r.name === name)!;
    expect(during).toMatchObject({ state: 'ALARM', stateReason: 'Testing the Slack path', stateUpdatedAt: new Date(quiet).toISOString() });
    const after = describeSimulatedAlarms(ALARMS, forced, 'eu-central-1', quiet + FORCED_STATE_HOLD_MS + 60_000).find((r) => r.name === name)!;
    expect(after).toMatchObject({ state: 'OK', stateUpdatedAt: new Date(quiet + FORCED_STATE_HOLD_MS).toISOString() });
    const { changes } = createAlarmTimelines(ALARMS, forced).timeline(name, quiet - 3_600_000, quiet + 3_600_000);
    expect(changes.map((c) => [c.from, c.to, c.at - quiet])).toEqual([
      ['OK', 'ALARM', 0],
      ['ALARM', 'OK', FORCED_STATE_HOLD_MS],
    ]);
    // The composite follows a forced child.
    const child = 'serverless-staging-api-errors';
    const forcedChild = new Map([[child, [{ at: new Date(quiet).toISOString(), state: 'ALARM' as const, reason: 'drill' }]]]);
    expect(describeSimulatedAlarms(ALARMS, forcedChild, 'eu-central-1', quiet + 1_000).find((r) => r.name === 'serverless-staging-health')?.state).toBe(
      'ALARM',
    );
  });
});

describe('simulatedSeries', () => {
  it('aggregates the datapoints into the chart period with the asked statistic', () => {
    const errors = metric('serverless-prod-api-errors');
    const from = NOW - 3_600_000;
    const minutes = simulatedSeries(errors, 'Sum', from, NOW, 60);
    expect(minutes).toHaveLength(60);
    const fiveMinutes = simulatedSeries(errors, 'Sum', from, NOW, 300);
    expect(fiveMinutes).toHaveLength(12);
    expect(fiveMinutes[0]!.v).toBe(minutes.slice(0, 5).reduce((s, p) => s + p.v, 0));
    expect(simulatedSeries(errors, 'Maximum', from, NOW, 300)[0]!.v).toBe(Math.max(...minutes.slice(0, 5).map((p) => p.v)));
    // A period finer than the metric's repeats its datapoint; idle time has no points.
    const cpu = metric('serverless-prod-rds-cpu');
    expect(simulatedSeries(cpu, 'Average', NOW - 600_000, NOW, 60)).toHaveLength(10);
    const idle = metric('serverless-dev-worker-duration');
    expect(simulatedSeries(idle, 'p95', Date.parse('2026-11-29T19:00:00.000Z'), Date.parse('2026-11-29T20:00:00.000Z'), 300)).toEqual([]);
  });

  it('describes 500 alarms quickly enough for one call per 30 s', () => {
    const all = sandboxAlarms(455);
    const started = performance.now();
    expect(describeSimulatedAlarms(all, new Map(), 'eu-central-1', NOW)).toHaveLength(500);
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});
