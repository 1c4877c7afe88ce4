import { HOME_ACCOUNT_KEY } from '@/lib/cloud/accounts';
import { describe, expect, it, vi } from 'vitest';
import type { AuditLog } from '@/lib/audit/model';
import { AppError } from '@/lib/errors';
import { createSharedCache } from '@/lib/alarms/cache';
import type { HealthCheckResult } from '@/lib/alarms/environment-health';
import type { AlarmHistoryRecord, AlarmRecord, MetricQuery } from '@/lib/alarms/model';
import type { CloudWatchPort, HealthSource, SnsPort } from '@/lib/alarms/ports';
import { overviewQuerySchema } from '@/lib/alarms/schemas';
import {
  getAlarmDetail,
  getAlarmMetrics,
  getEnvironmentHealth,
  getOverview,
  HISTORY_LIMIT,
  pollEnvironmentHealth,
  setAlarmState,
  type AlarmAccount,
  type AlarmDeps,
} from '@/lib/alarms/service';
import { manualClock, memoryCacheStore, memoryHealthStore, record } from '@/lib/alarms/test-fakes';

const TOPIC = 'arn:aws:sns:eu-central-1:111122223333:serverless-prod-alarms';
const NOTIFIER = 'arn:aws:lambda:eu-central-1:111122223333:function:serverless-prod-notifier';

function alarms(region: string): AlarmRecord[] {
  const cpu = {
    namespace: 'AWS/RDS',
    metricName: 'CPUUtilization',
    stat: 'Average',
    dimensions: [{ name: 'DBInstanceIdentifier', value: 'serverless-prod-db' }],
  };
  return [
    record('serverless-prod-rds-cpu', {
      region,
      metric: cpu,
      threshold: 80,
      state: 'ALARM',
      stateUpdatedAt: '2026-11-30T08:30:00.000Z',
      alarmActions: [TOPIC],
      okActions: [TOPIC],
      period: 300,
    }),
    record('serverless-prod-api-errors', {
      region,
      metric: { namespace: 'AWS/Lambda', metricName: 'Errors', stat: 'Sum', dimensions: [{ name: 'FunctionName', value: 'serverless-prod-api' }] },
    }),
    record('serverless-prod-health', {
      region,
      type: 'composite',
      metric: null,
      period: null,
      rule: 'ALARM("serverless-prod-api-errors") OR ALARM("serverless-prod-rds-cpu")',
      state: 'ALARM',
      alarmActions: [TOPIC, 'arn:aws:autoscaling:eu-central-1:111122223333:scalingPolicy:x'],
    }),
    record('serverless-dev-api-errors', {
      region,
      metric: { namespace: 'AWS/Lambda', metricName: 'Errors', stat: 'Sum', dimensions: [{ name: 'FunctionName', value: 'serverless-dev-api' }] },
    }),
  ];
}

function fakeCloudWatch() {
  const history: AlarmHistoryRecord[] = [
    {
      timestamp: '2026-11-30T08:30:00.000Z',
      type: 'StateUpdate',
      summary: 'Alarm updated from OK to ALARM',
      data: JSON.stringify({ oldState: { stateValue: 'OK' }, newState: { stateValue: 'ALARM' } }),
    },
    { timestamp: '2026-11-30T08:31:00.000Z', type: 'Action', summary: `Successfully executed action ${TOPIC}`, data: null },
  ];
  const port = {
    describeAlarms: vi.fn(async (region: string) => alarms(region)),
    describeAlarmHistory: vi.fn(async () => history),
    getMetricData: vi.fn(async (_region: string, queries: MetricQuery[], from: Date, _to: Date) => [
      { id: queries[0]!.id, label: 'CPUUtilization', partial: false, points: [{ t: from.toISOString(), v: 91 }] },
    ]),
    setAlarmState: vi.fn(async () => {}),
  } satisfies CloudWatchPort;
  return port;
}

function setup(regions = ['eu-central-1']) {
  const clock = manualClock();
  const store = memoryCacheStore();
  const cloudwatch = fakeCloudWatch();
  const sns = { listSubscriptions: vi.fn(async () => [{ arn: `${TOPIC}:sub-1`, protocol: 'lambda', endpoint: NOTIFIER }]) } satisfies SnsPort;
  const audit = { appendAudit: vi.fn(async () => {}) } satisfies AuditLog;
  const deps: AlarmDeps = {
    accounts: [{ key: HOME_ACCOUNT_KEY, account: { accountId: null, alias: null }, cloudwatch, sns, regions }],
    audit,
    cache: createSharedCache({ store, clock, owner: 'test' }),
    clock,
  };
  return { deps, clock, cloudwatch, sns, store, audit };
}

const query = (raw: Record<string, string> = {}) => overviewQuerySchema.parse(raw);

describe('getOverview', () => {
  it('answers 50 concurrent viewers with one DescribeAlarms per region', async () => {
    const { deps, cloudwatch } = setup(['eu-central-1', 'us-east-1']);
    const results = await Promise.all(Array.from({ length: 50 }, () => getOverview(deps, query())));
    expect(cloudwatch.describeAlarms).toHaveBeenCalledTimes(2);
    expect(cloudwatch.describeAlarms.mock.calls.map((c) => c[0]).sort()).toEqual(['eu-central-1', 'us-east-1']);
    expect(results[49]!.total).toBe(8);
  });

  it('counts per environment, groups by environment and service with ALARM first, and filters', async () => {
    const { deps } = setup();
    const overview = await getOverview(deps, query());
    expect(overview.counts).toEqual([
      { environment: 'prod', counts: { ALARM: 2, INSUFFICIENT_DATA: 0, OK: 1 } },
      { environment: 'dev', counts: { ALARM: 0, INSUFFICIENT_DATA: 0, OK: 1 } },
    ]);
    expect(overview.groups[0]!.environment).toBe('prod');
    expect(overview.groups[0]!.services.map((s) => s.service)).toEqual(['database', 'health', 'api']);
    expect(overview.sources).toEqual([{ source: 'cloudwatch:eu-central-1', fetchedAt: '2026-11-30T09:00:00.000Z', stale: false, error: null }]);
    expect(overview.facets).toEqual({ environments: ['prod', 'dev'], services: ['api', 'database', 'health'], regions: ['eu-central-1'] });

    const filtered = await getOverview(deps, query({ state: 'OK', env: 'dev' }));
    expect(filtered.matched).toBe(1);
    expect(filtered.total).toBe(4);
    expect(filtered.groups.flatMap((g) => g.services.flatMap((s) => s.alarms.map((a) => a.name)))).toEqual(['serverless-dev-api-errors']);
    await expect(getOverview(deps, query({ region: 'ap-south-1' }))).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('keeps showing the last good list when CloudWatch throttles, saying what failed since when', async () => {
    const { deps, cloudwatch, clock } = setup();
    await getOverview(deps, query());
    cloudwatch.describeAlarms.mockRejectedValue(new AppError('RATE_LIMITED', 'CloudWatch DescribeAlarms was throttled by AWS; it will be retried'));
    clock.advance(30_000);
    const overview = await getOverview(deps, query());
    expect(overview.total).toBe(4);
    expect(overview.sources[0]).toEqual({
      source: 'cloudwatch:eu-central-1',
      fetchedAt: '2026-11-30T09:00:00.000Z',
      stale: true,
      error: { code: 'RATE_LIMITED', message: 'CloudWatch DescribeAlarms was throttled by AWS; it will be retried', since: '2026-11-30T09:00:30.000Z' },
    });
  });
});

describe('getAlarmDetail', () => {
  it('shows the alarm, its history newest first, its actions with the topic subscriptions, and the console link', async () => {
    const { deps, sns } = setup();
    const detail = await getAlarmDetail(deps, 'serverless-prod-rds-cpu');
    expect(detail.alarm).toMatchObject({ name: 'serverless-prod-rds-cpu', environment: 'prod', service: 'database', threshold: 80 });
    expect(detail.history.items.map((h) => [h.type, h.newState])).toEqual([
      ['Action', null],
      ['StateUpdate', 'ALARM'],
    ]);
    expect(detail.actions).toEqual([
      { arn: TOPIC, kind: 'sns', on: ['ALARM', 'OK'], subscriptions: [{ arn: `${TOPIC}:sub-1`, protocol: 'lambda', endpoint: NOTIFIER }], error: null },
    ]);
    expect(detail.consoleUrl).toBe('https://eu-central-1.console.aws.amazon.com/cloudwatch/home?region=eu-central-1#alarmsV2:alarm/serverless-prod-rds-cpu');
    await getAlarmDetail(deps, 'serverless-prod-health');
    expect(sns.listSubscriptions).toHaveBeenCalledTimes(1);
  });

  it('lists a composite alarm children with their states, and other kinds of actions', async () => {
    const { deps } = setup();
    const detail = await getAlarmDetail(deps, 'serverless-prod-health');
    expect(detail.children).toEqual([
      { name: 'serverless-prod-api-errors', state: 'OK' },
      { name: 'serverless-prod-rds-cpu', state: 'ALARM' },
    ]);
    expect(detail.actions.map((a) => [a.kind, a.subscriptions?.length ?? null])).toEqual([
      ['sns', 1],
      ['autoscaling', null],
    ]);
  });

  it('is NOT_FOUND for an unknown alarm, UNAVAILABLE when the list could never be fetched', async () => {
    const { deps, cloudwatch } = setup();
    await expect(getAlarmDetail(deps, 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const down = setup();
    down.cloudwatch.describeAlarms.mockRejectedValue(new Error('connect ETIMEDOUT'));
    await expect(getAlarmDetail(down.deps, 'serverless-prod-rds-cpu')).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: 'CloudWatch could not be reached: connect ETIMEDOUT',
    });
    expect(cloudwatch.describeAlarms).toHaveBeenCalledTimes(1);
  });
});

describe('getAlarmMetrics', () => {
  it('charts the metric with the threshold and ALARM periods, one GetMetricData per alarm and range per minute', async () => {
    const { deps, cloudwatch, clock } = setup();
    const m = await getAlarmMetrics(deps, 'serverless-prod-rds-cpu', '3h');
    expect(m).toMatchObject({
      range: '3h',
      period: 300,
      threshold: 80,
      comparison: 'GreaterThanOrEqualToThreshold',
      from: '2026-11-30T06:00:00.000Z',
      to: '2026-11-30T09:00:00.000Z',
    });
    expect(m.series[0]!.points).toEqual([{ t: '2026-11-30T06:00:00.000Z', v: 91 }]);
    expect(m.alarmPeriods).toEqual([{ from: '2026-11-30T08:30:00.000Z', to: '2026-11-30T09:00:00.000Z' }]);
    const [, queries, from, to] = cloudwatch.getMetricData.mock.calls[0]!;
    expect(queries[0]!.metric).toMatchObject({ metricName: 'CPUUtilization', stat: 'Average', period: 300 });
    expect([from, to]).toEqual([new Date('2026-11-30T06:00:00.000Z'), new Date('2026-11-30T09:00:00.000Z')]);

    await Promise.all(Array.from({ length: 20 }, () => getAlarmMetrics(deps, 'serverless-prod-rds-cpu', '3h')));
    expect(cloudwatch.getMetricData).toHaveBeenCalledTimes(1);
    await getAlarmMetrics(deps, 'serverless-prod-rds-cpu', '24h');
    expect(cloudwatch.getMetricData).toHaveBeenCalledTimes(2);
    clock.advance(60_000);
    await getAlarmMetrics(deps, 'serverless-prod-rds-cpu', '3h');
    expect(cloudwatch.getMetricData).toHaveBeenCalledTimes(3);
  });

  it('has no series for a composite alarm', async () => {
    const { deps, cloudwatch } = setup();
    expect((await getAlarmMetrics(deps, 'serverless-prod-health', '24h')).series).toEqual([]);
    expect(cloudwatch.getMetricData).not.toHaveBeenCalled();
  });
});

describe('setAlarmState', () => {
  it('sets the state in CloudWatch and shows it at once without another DescribeAlarms', async () => {
    const { deps, cloudwatch, clock } = setup();
    await getOverview(deps, query());
    await getAlarmDetail(deps, 'serverless-dev-api-errors');
    clock.advance(5_000);

    const result = await setAlarmState(
      deps,
      { name: 'serverless-dev-api-errors', state: 'ALARM', reason: 'Testing the Slack path' },
      { id: 'usr_priya_raman', name: 'Priya Raman' },
      { ip: '10.0.0.9', userAgent: 'vitest' },
    );

    expect(result).toEqual({ region: 'eu-central-1', name: 'serverless-dev-api-errors', environment: 'dev', previous: 'OK', state: 'ALARM' });
    expect(cloudwatch.setAlarmState).toHaveBeenCalledWith(
      'eu-central-1',
      'serverless-dev-api-errors',
      'ALARM',
      'Testing the Slack path (set by Priya Raman in Gatehouse)',
    );
    const overview = await getOverview(deps, query());
    const first = overview.groups[0]!.services[0]!.alarms[0]!;
    expect(first).toMatchObject({ name: 'serverless-dev-api-errors', state: 'ALARM', stateUpdatedAt: '2026-11-30T09:00:05.000Z' });
    const detail = await getAlarmDetail(deps, 'serverless-dev-api-errors');
    expect(detail.history.items[0]).toMatchObject({ oldState: 'OK', newState: 'ALARM', reason: 'Testing the Slack path (set by Priya Raman in Gatehouse)' });
    expect(cloudwatch.describeAlarms).toHaveBeenCalledTimes(1);
  });

  it('records the change in the audit history once CloudWatch accepted it, and nothing when CloudWatch refused', async () => {
    const { deps, cloudwatch, audit } = setup();
    const actor = { id: 'usr_priya_raman', name: 'Priya Raman' };
    await setAlarmState(deps, { name: 'serverless-dev-api-errors', state: 'ALARM', reason: 'Testing the Slack path' }, actor, null);
    expect(audit.appendAudit).toHaveBeenCalledWith(
      expect.objectContaining({
        actorId: actor.id,
        actorName: actor.name,
        action: 'alarm.state.set',
        targetType: 'alarm',
        targetId: 'eu-central-1/serverless-dev-api-errors',
        environment: 'DEV',
        before: { state: 'OK' },
        after: { state: 'ALARM', reason: 'Testing the Slack path' },
      }),
      null,
    );
    cloudwatch.setAlarmState.mockRejectedValueOnce(new Error('throttled'));
    await expect(setAlarmState(deps, { name: 'serverless-dev-api-errors', state: 'OK', reason: 'back' }, actor, null)).rejects.toThrow('throttled');
    expect(audit.appendAudit).toHaveBeenCalledTimes(1);
  });
});

describe('environment health', () => {
  function source(results: Record<string, HealthCheckResult | Error>): HealthSource & { check: ReturnType<typeof vi.fn> } {
    return {
      environments: () => Object.keys(results),
      check: vi.fn(async (env: string) => {
        const r = results[env]!;
        if (r instanceof Error) throw r;
        return r;
      }),
    };
  }
  const OK: HealthCheckResult = { status: 'ok', httpStatus: 200, latencyMs: 40, dbOk: true, dbLatencyMs: 3, version: 'v1', error: null };

  it('checks each environment once per slot across pollers, records failures, and prunes after 24 h', async () => {
    const clock = manualClock(new Date('2026-11-30T09:00:01.000Z'));
    const store = memoryHealthStore();
    const src = source({ prod: OK, dev: new Error('fetch failed') });
    const deps = { source: src, store, clock };

    const runs = await Promise.all([pollEnvironmentHealth(deps), pollEnvironmentHealth(deps), pollEnvironmentHealth(deps)]);
    expect(
      runs
        .map((r) => r.checked)
        .flat()
        .sort(),
    ).toEqual(['dev', 'prod']);
    expect(src.check).toHaveBeenCalledTimes(2);
    expect(store.samples.find((s) => s.environment === 'dev')).toMatchObject({ status: 'down', error: 'fetch failed' });

    clock.advance(10_000);
    expect((await pollEnvironmentHealth(deps)).checked).toEqual([]);
    clock.advance(20_000);
    expect((await pollEnvironmentHealth(deps)).checked).toEqual(['dev', 'prod']);

    const health = await getEnvironmentHealth(deps);
    expect(health.map((h) => [h.environment, h.latest?.status, h.failingSince])).toEqual([
      ['prod', 'ok', null],
      ['dev', 'down', '2026-11-30T09:00:01.000Z'],
    ]);

    clock.advance(24 * 3_600_000 + 1_000);
    await pollEnvironmentHealth(deps);
    expect(store.samples).toHaveLength(2);
  });
});

describe('alarms across accounts', () => {
  const DEV: AlarmAccount['account'] = { accountId: '111111111111', alias: 'dev' };
  const PROD: AlarmAccount['account'] = { accountId: '222222222222', alias: 'prod' };

  function twoAccounts() {
    const clock = manualClock();
    const store = memoryCacheStore();
    const devCw = fakeCloudWatch();
    devCw.describeAlarms.mockImplementation(async (region: string) => alarms(region).filter((a) => a.name.includes('-dev-')));
    const prodCw = fakeCloudWatch();
    prodCw.describeAlarms.mockImplementation(async (region: string) => alarms(region).filter((a) => a.name.includes('-prod-')));
    const sns = () => ({ listSubscriptions: vi.fn(async () => []) }) satisfies SnsPort;
    const audit = { appendAudit: vi.fn(async () => {}) } satisfies AuditLog;
    const accounts: AlarmAccount[] = [
      { key: DEV.accountId!, account: DEV, cloudwatch: devCw, sns: sns(), regions: ['eu-central-1'] },
      { key: PROD.accountId!, account: PROD, cloudwatch: prodCw, sns: sns(), regions: ['eu-central-1', 'us-east-1'] },
    ];
    const deps: AlarmDeps = { accounts, audit, cache: createSharedCache({ store, clock, owner: 'test' }), clock };
    return { deps, devCw, prodCw, store, audit, clock };
  }
  const names = (o: Awaited<ReturnType<typeof getOverview>>) =>
    o.groups.flatMap((g) => g.services.flatMap((s) => s.alarms.map((a) => `${a.account?.alias}:${a.region}:${a.name}`)));

  it('lists every account’s alarms, each labelled with its account, with one cached DescribeAlarms per account and region', async () => {
    const { deps, devCw, prodCw, store } = twoAccounts();
    const results = await Promise.all(Array.from({ length: 20 }, () => getOverview(deps, query())));
    expect(devCw.describeAlarms.mock.calls.map((c) => c[0])).toEqual(['eu-central-1']);
    expect(prodCw.describeAlarms.mock.calls.map((c) => c[0]).sort()).toEqual(['eu-central-1', 'us-east-1']);
    expect([...store.rows.keys()].sort()).toEqual(['alarms:111111111111:eu-central-1', 'alarms:222222222222:eu-central-1', 'alarms:222222222222:us-east-1']);
    const overview = results[0]!;
    expect(names(overview).sort()).toEqual([
      'dev:eu-central-1:serverless-dev-api-errors',
      'prod:eu-central-1:serverless-prod-api-errors',
      'prod:eu-central-1:serverless-prod-health',
      'prod:eu-central-1:serverless-prod-rds-cpu',
      'prod:us-east-1:serverless-prod-api-errors',
      'prod:us-east-1:serverless-prod-health',
      'prod:us-east-1:serverless-prod-rds-cpu',
    ]);
    expect(overview.sources.map((s) => [s.account?.alias, s.source])).toEqual([
      ['dev', 'cloudwatch:eu-central-1'],
      ['prod', 'cloudwatch:eu-central-1'],
      ['prod', 'cloudwatch:us-east-1'],
    ]);
    expect(overview.facets.regions).toEqual(['eu-central-1', 'us-east-1']);
    expect(overview.facets.accounts).toEqual([
      { key: '111111111111', account: DEV },
      { key: '222222222222', account: PROD },
    ]);
    const onlyDev = await getOverview(deps, query({ account: '111111111111' }));
    expect(names(onlyDev)).toEqual(['dev:eu-central-1:serverless-dev-api-errors']);
    await expect(getOverview(deps, query({ account: '333333333333' }))).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('shows an account that fails as that account’s source unavailable; the other account’s alarms still show', async () => {
    const { deps, devCw } = twoAccounts();
    devCw.describeAlarms.mockRejectedValue(new AppError('UNAVAILABLE', 'Could not assume arn:aws:iam::111111111111:role/gatehouse-dev'));
    const overview = await getOverview(deps, query());
    expect(names(overview).every((n) => n.startsWith('prod:'))).toBe(true);
    expect(overview.total).toBe(6);
    expect(overview.sources.filter((s) => s.error)).toEqual([
      {
        source: 'cloudwatch:eu-central-1',
        account: DEV,
        fetchedAt: null,
        stale: true,
        error: { code: 'UNAVAILABLE', message: 'Could not assume arn:aws:iam::111111111111:role/gatehouse-dev', since: '2026-11-30T09:00:00.000Z' },
      },
    ]);
  });

  it('reads an alarm’s detail and sets its state in its own account only; a name in several accounts needs the account', async () => {
    const { deps, devCw, prodCw, audit } = twoAccounts();
    // An alarm of the same name in both accounts.
    const shared = (region: string) => record('serverless-shared-canary', { region });
    devCw.describeAlarms.mockImplementation(async (region: string) => [...alarms(region).filter((a) => a.name.includes('-dev-')), shared(region)]);
    prodCw.describeAlarms.mockImplementation(async (region: string) => [...alarms(region).filter((a) => a.name.includes('-prod-')), shared(region)]);

    const detail = await getAlarmDetail(deps, 'serverless-prod-rds-cpu', 'us-east-1', '222222222222');
    expect(detail.alarm).toMatchObject({ name: 'serverless-prod-rds-cpu', region: 'us-east-1', accountKey: '222222222222', account: PROD });
    expect(prodCw.describeAlarmHistory).toHaveBeenCalledWith('us-east-1', 'serverless-prod-rds-cpu', expect.any(Date), expect.any(Date), HISTORY_LIMIT);
    expect(devCw.describeAlarmHistory).not.toHaveBeenCalled();
    // Asked in the dev account, prod's alarm is not found there.
    await expect(getAlarmDetail(deps, 'serverless-prod-rds-cpu', undefined, '111111111111')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // Without the account: the one account that has the name.
    expect((await getAlarmDetail(deps, 'serverless-dev-api-errors')).alarm).toMatchObject({ accountKey: '111111111111', region: 'eu-central-1' });
    await expect(getAlarmDetail(deps, 'no-such-alarm')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getAlarmDetail(deps, 'serverless-shared-canary')).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'serverless-shared-canary is in more than one account (111111111111, 222222222222): name the account',
    });
    await expect(getAlarmDetail(deps, 'serverless-prod-rds-cpu', undefined, '333333333333')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    // us-east-1 is a prod region, not a dev one.
    await expect(getAlarmMetrics(deps, 'serverless-dev-api-errors', '3h', 'us-east-1', '111111111111')).rejects.toMatchObject({ code: 'BAD_REQUEST' });

    const actor = { id: 'usr_priya_raman', name: 'Priya Raman' };
    await expect(setAlarmState(deps, { name: 'serverless-shared-canary', state: 'ALARM', reason: 'drill' }, actor, null)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(devCw.setAlarmState).not.toHaveBeenCalled();
    expect(prodCw.setAlarmState).not.toHaveBeenCalled();
    const result = await setAlarmState(deps, { name: 'serverless-shared-canary', account: '111111111111', state: 'ALARM', reason: 'drill' }, actor, null);
    expect(result).toMatchObject({ region: 'eu-central-1', previous: 'OK', state: 'ALARM' });
    expect(devCw.setAlarmState).toHaveBeenCalledExactlyOnceWith('eu-central-1', 'serverless-shared-canary', 'ALARM', 'drill (set by Priya Raman in Gatehouse)');
    expect(prodCw.setAlarmState).not.toHaveBeenCalled();
    expect(audit.appendAudit).toHaveBeenCalledExactlyOnceWith(
      expect.objectContaining({ targetId: '111111111111:eu-central-1/serverless-shared-canary' }),
      null,
    );
    const after = await getOverview(deps, query({ q: 'canary', region: 'eu-central-1' }));
    expect(after.groups.flatMap((g) => g.services.flatMap((x) => x.alarms.map((a) => [a.account?.alias, a.state])))).toEqual([
      ['dev', 'ALARM'],
      ['prod', 'OK'],
    ]);
    expect(devCw.describeAlarms).toHaveBeenCalledTimes(1);
  });
});
