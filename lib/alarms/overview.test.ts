import { describe, expect, it } from 'vitest';
import { classifyAlarm } from '@/lib/alarms/classify';
import { record } from '@/lib/alarms/test-fakes';
import type { Alarm } from '@/lib/alarms/model';
import { countByEnvironment, filterAlarms, groupAlarms, sortAlarms, toOverviewItem } from '@/lib/alarms/overview';
import { overviewQuerySchema } from '@/lib/alarms/schemas';

const fn = (env: string, f: string) => ({
  namespace: 'AWS/Lambda',
  metricName: 'Errors',
  stat: 'Sum',
  dimensions: [{ name: 'FunctionName', value: `serverless-${env}-${f}` }],
});

function alarm(name: string, state: Alarm['state'], updated: string, f = 'api'): Alarm {
  const env = name.split('-')[1]!;
  return classifyAlarm(record(name, { state, stateUpdatedAt: `2026-11-30T${updated}:00.000Z`, metric: fn(env, f) }));
}

const ALARMS = [
  alarm('serverless-dev-api-errors', 'OK', '01:00'),
  alarm('serverless-prod-api-errors', 'OK', '02:00'),
  alarm('serverless-prod-worker-errors', 'ALARM', '03:00', 'worker'),
  alarm('serverless-staging-api-duration', 'INSUFFICIENT_DATA', '04:00'),
  alarm('serverless-dev-worker-errors', 'ALARM', '05:00', 'worker'),
  alarm('serverless-prod-api-throttles', 'OK', '06:00'),
];

const q = (raw: Record<string, string>) => overviewQuerySchema.parse(raw);

describe('countByEnvironment', () => {
  it('counts every state per environment, prod first', () => {
    expect(countByEnvironment(ALARMS)).toEqual([
      { environment: 'prod', counts: { ALARM: 1, INSUFFICIENT_DATA: 0, OK: 2 } },
      { environment: 'staging', counts: { ALARM: 0, INSUFFICIENT_DATA: 1, OK: 0 } },
      { environment: 'dev', counts: { ALARM: 1, INSUFFICIENT_DATA: 0, OK: 1 } },
    ]);
  });
});

describe('filterAlarms', () => {
  const names = (raw: Record<string, string>) => filterAlarms(ALARMS, q(raw)).map((a) => a.name);

  it('filters by states, environment, service and words of the search', () => {
    expect(names({ state: 'alarm,insufficient_data' })).toEqual([
      'serverless-prod-worker-errors',
      'serverless-staging-api-duration',
      'serverless-dev-worker-errors',
    ]);
    expect(names({ env: 'prod', service: 'api' })).toEqual(['serverless-prod-api-errors', 'serverless-prod-api-throttles']);
    expect(names({ q: 'WORKER errors' })).toEqual(['serverless-prod-worker-errors', 'serverless-dev-worker-errors']);
    expect(names({ q: 'nothing-like-this' })).toEqual([]);
    expect(names({})).toHaveLength(6);
  });
});

describe('sortAlarms and groupAlarms', () => {
  const items = ALARMS.map(toOverviewItem);

  it('puts alarms in ALARM first, the newest change first, then INSUFFICIENT_DATA, then OK', () => {
    expect(sortAlarms(items, 'state').map((a) => [a.name, a.state])).toEqual([
      ['serverless-dev-worker-errors', 'ALARM'],
      ['serverless-prod-worker-errors', 'ALARM'],
      ['serverless-staging-api-duration', 'INSUFFICIENT_DATA'],
      ['serverless-prod-api-throttles', 'OK'],
      ['serverless-prod-api-errors', 'OK'],
      ['serverless-dev-api-errors', 'OK'],
    ]);
  });

  it('sorts by name, by last change and reversed', () => {
    expect(sortAlarms(items, 'name').map((a) => a.name)[0]).toBe('serverless-dev-api-errors');
    expect(sortAlarms(items, 'name', 'desc').map((a) => a.name)[0]).toBe('serverless-staging-api-duration');
    expect(sortAlarms(items, 'updated').map((a) => a.stateUpdatedAt.slice(11, 16))).toEqual(['06:00', '05:00', '04:00', '03:00', '02:00', '01:00']);
    expect(sortAlarms(items, 'updated', 'asc').map((a) => a.stateUpdatedAt.slice(11, 16))[0]).toBe('01:00');
    expect(sortAlarms(items, 'environment').map((a) => a.environment)).toEqual(['prod', 'prod', 'prod', 'staging', 'dev', 'dev']);
  });

  const shape = (groups: ReturnType<typeof groupAlarms>) => groups.map((g) => [g.environment, g.services.map((s) => [s.service, s.alarms.map((a) => a.name)])]);

  it('groups by environment then service, the newest alarm in ALARM first, then the usual order', () => {
    expect(shape(groupAlarms(sortAlarms(items, 'state')))).toEqual([
      [
        'dev',
        [
          ['worker', ['serverless-dev-worker-errors']],
          ['api', ['serverless-dev-api-errors']],
        ],
      ],
      [
        'prod',
        [
          ['worker', ['serverless-prod-worker-errors']],
          ['api', ['serverless-prod-api-throttles', 'serverless-prod-api-errors']],
        ],
      ],
      ['staging', [['api', ['serverless-staging-api-duration']]]],
    ]);
    // Nothing firing: prod, staging, dev, worst state first.
    const calm = items.map((i) => ({ ...i, state: i.state === 'ALARM' ? ('OK' as const) : i.state }));
    expect(shape(groupAlarms(sortAlarms(calm, 'state'))).map(([env]) => env)).toEqual(['staging', 'prod', 'dev']);
    const quiet = calm.map((i) => ({ ...i, state: 'OK' as const }));
    expect(shape(groupAlarms(sortAlarms(quiet, 'state')))).toEqual([
      [
        'prod',
        [
          ['api', ['serverless-prod-api-throttles', 'serverless-prod-api-errors']],
          ['worker', ['serverless-prod-worker-errors']],
        ],
      ],
      ['staging', [['api', ['serverless-staging-api-duration']]]],
      [
        'dev',
        [
          ['api', ['serverless-dev-api-errors']],
          ['worker', ['serverless-dev-worker-errors']],
        ],
      ],
    ]);
  });

  it('keeps groups where their first alarm comes for other sorts', () => {
    expect(shape(groupAlarms(sortAlarms(items, 'name'), { firingFirst: false })).map(([env]) => env)).toEqual(['dev', 'prod', 'staging']);
  });

  it('shortens long reasons in the list', () => {
    const long = toOverviewItem({ ...ALARMS[0]!, stateReason: 'x'.repeat(1000) });
    expect(long.stateReason).toHaveLength(160);
    expect(long.stateReason.endsWith('…')).toBe(true);
    expect(long.metric).toBe('AWS/Lambda Errors');
  });
});

describe('overviewQuerySchema', () => {
  it('refuses an unknown state, sort or parameter', () => {
    expect(overviewQuerySchema.safeParse({ state: 'BROKEN' }).error?.issues[0]?.message).toBe('unknown state BROKEN: use ALARM, INSUFFICIENT_DATA, OK');
    expect(overviewQuerySchema.safeParse({ sort: 'colour' }).success).toBe(false);
    expect(overviewQuerySchema.safeParse({ nope: '1' }).success).toBe(false);
    expect(overviewQuerySchema.safeParse({ env: '../etc' }).success).toBe(false);
    expect(overviewQuerySchema.parse({ state: 'ok, alarm', env: 'PROD' })).toEqual({ state: ['OK', 'ALARM'], env: 'prod', sort: 'state' });
  });
});
