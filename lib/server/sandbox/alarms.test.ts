import { HOME_ACCOUNT_KEY } from '@/lib/cloud/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSharedCache } from '@/lib/alarms/cache';
import { metricQueriesFor, metricWindow } from '@/lib/alarms/metrics';
import { overviewQuerySchema } from '@/lib/alarms/schemas';
import { getAlarmDetail, getAlarmMetrics, getOverview, setAlarmState, type AlarmDeps } from '@/lib/alarms/service';
import { manualClock } from '@/lib/alarms/test-fakes';
import { createAlarmCacheStore } from '@/lib/server/db/repositories/alarm-cache';
import { verifyAuditChain } from '@/lib/server/db/repositories/audit';
import { createAuditLog } from '@/lib/server/db/repositories/audit-log';
import { createSandboxStore, type SandboxStore } from '@/lib/server/db/repositories/sandbox-objects';
import { createTestDatabase } from '@/lib/server/db/test-databases';
import { createSandboxCloudWatch, createSandboxHealthSource, createSandboxSns, ensureSandboxAlarmTopics } from '@/lib/server/sandbox/alarms';

const REGION = 'eu-central-1';
// At this moment every simulated alarm is OK (fixed, so the test is deterministic).
const QUIET = new Date('2026-11-30T09:00:00.000Z');

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let store: SandboxStore;
beforeAll(async () => {
  db = await createTestDatabase('embedded');
  store = createSandboxStore(db.prisma);
  await ensureSandboxAlarmTopics(store, REGION);
  await ensureSandboxAlarmTopics(store, REGION);
});
afterAll(async () => db.drop());

describe('sandbox SNS', () => {
  it('holds each environment topic, subscribed by its notifier Lambda', async () => {
    const sns = createSandboxSns(store);
    const subs = await sns.listSubscriptions(REGION, 'arn:aws:sns:eu-central-1:111122223333:serverless-prod-alarms');
    expect(subs).toEqual([
      {
        arn: expect.stringMatching(/^arn:aws:sns:eu-central-1:111122223333:serverless-prod-alarms:/),
        protocol: 'lambda',
        endpoint: 'arn:aws:lambda:eu-central-1:111122223333:function:serverless-prod-notifier:live',
      },
    ]);
    await expect(sns.listSubscriptions(REGION, 'arn:aws:sns:eu-central-1:111122223333:nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('sandbox CloudWatch', () => {
  it('describes the stack alarms in its region only', async () => {
    const cw = createSandboxCloudWatch({ store, region: REGION, now: () => QUIET });
    const alarms = await cw.describeAlarms(REGION);
    expect(alarms).toHaveLength(45);
    expect(alarms.every((a) => a.state === 'OK')).toBe(true);
    expect(alarms.find((a) => a.name === 'serverless-prod-rds-cpu')).toMatchObject({
      arn: 'arn:aws:cloudwatch:eu-central-1:111122223333:alarm:serverless-prod-rds-cpu',
      alarmActions: ['arn:aws:sns:eu-central-1:111122223333:serverless-prod-alarms'],
      okActions: ['arn:aws:sns:eu-central-1:111122223333:serverless-prod-alarms'],
      threshold: 80,
      period: 300,
    });
    expect(await cw.describeAlarms('us-west-2')).toEqual([]);
    expect(await createSandboxCloudWatch({ store, region: REGION, extra: 455, now: () => QUIET }).describeAlarms(REGION)).toHaveLength(500);
  });

  it('answers GetMetricData for the metrics it simulates, and nothing for others', async () => {
    const cw = createSandboxCloudWatch({ store, region: REGION, now: () => QUIET });
    const cpu = (await cw.describeAlarms(REGION)).find((a) => a.name === 'serverless-prod-rds-cpu')!;
    const w = metricWindow('24h', QUIET, cpu.period);
    const [series] = await cw.getMetricData(REGION, metricQueriesFor(cpu, w.period)!, w.from, w.to);
    expect(series!.points.length).toBeGreaterThan(280);
    expect(series!.points.every((p) => p.v > 0 && p.v < 100)).toBe(true);
    const [none] = await cw.getMetricData(
      REGION,
      [
        {
          id: 'm1',
          label: null,
          returnData: true,
          expression: null,
          metric: { namespace: 'AWS/EC2', metricName: 'CPUUtilization', dimensions: [], stat: 'Average', period: 300, unit: null },
        },
      ],
      w.from,
      w.to,
    );
    expect(none).toEqual({ id: 'm1', label: 'CPUUtilization', points: [], partial: false });
  });

  it('keeps a state set with SetAlarmState, with history and the action on the topic', async () => {
    let now = QUIET;
    const cw = createSandboxCloudWatch({ store, region: REGION, now: () => now });
    await cw.setAlarmState(REGION, 'serverless-dev-api-errors', 'ALARM', 'Testing the Slack path (set by Priya Raman in Gatehouse)');
    now = new Date(QUIET.getTime() + 60_000);
    const alarm = (await cw.describeAlarms(REGION)).find((a) => a.name === 'serverless-dev-api-errors');
    expect(alarm).toMatchObject({
      state: 'ALARM',
      stateReason: 'Testing the Slack path (set by Priya Raman in Gatehouse)',
      stateUpdatedAt: QUIET.toISOString(),
    });
    // The composite of the environment follows its child.
    expect((await cw.describeAlarms(REGION)).find((a) => a.name === 'serverless-dev-health')?.state).toBe('ALARM');
    const history = await cw.describeAlarmHistory(REGION, 'serverless-dev-api-errors', new Date(QUIET.getTime() - 3_600_000), now, 10);
    expect(history.slice(0, 2)).toEqual([
      {
        timestamp: '2026-11-30T09:00:01.000Z',
        type: 'Action',
        summary: 'Successfully executed action arn:aws:sns:eu-central-1:111122223333:serverless-dev-alarms',
        data: expect.any(String),
      },
      {
        timestamp: '2026-11-30T09:00:00.000Z',
        type: 'StateUpdate',
        summary: 'Alarm updated from OK to ALARM',
        data: JSON.stringify({
          version: '1.0',
          oldState: { stateValue: 'OK' },
          newState: { stateValue: 'ALARM', stateReason: 'Testing the Slack path (set by Priya Raman in Gatehouse)' },
        }),
      },
    ]);
    await expect(cw.setAlarmState(REGION, 'no-such-alarm', 'ALARM', 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(cw.setAlarmState('us-west-2', 'serverless-dev-api-errors', 'ALARM', 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('serves the dashboard use cases end to end through the shared cache', async () => {
    const clock = manualClock(new Date(QUIET.getTime() + 120_000));
    const deps: AlarmDeps = {
      accounts: [
        {
          key: HOME_ACCOUNT_KEY,
          account: { accountId: null, alias: null },
          cloudwatch: createSandboxCloudWatch({ store, region: REGION, now: () => clock.now() }),
          sns: createSandboxSns(store),
          regions: [REGION],
        },
      ],
      audit: createAuditLog(db.prisma),
      cache: createSharedCache({ store: createAlarmCacheStore(db.prisma), clock, owner: 'test' }),
      clock,
    };
    const overview = await getOverview(deps, overviewQuerySchema.parse({}));
    expect(overview.groups[0]!.services[0]!.alarms[0]).toMatchObject({ state: 'ALARM' });
    expect(overview.counts.map((c) => c.environment)).toEqual(['prod', 'staging', 'dev']);
    const detail = await getAlarmDetail(deps, 'serverless-prod-rds-cpu');
    expect(detail.actions[0]!.subscriptions![0]!.endpoint).toBe('arn:aws:lambda:eu-central-1:111122223333:function:serverless-prod-notifier:live');
    const chart = await getAlarmMetrics(deps, 'serverless-prod-rds-cpu', '7d');
    expect(chart).toMatchObject({ period: 3600, threshold: 80 });
    expect(chart.series[0]!.points.length).toBeGreaterThan(160);

    // A state set from the portal is in the audit history, read back from the database.
    // (The CloudWatch test above left this alarm in ALARM.)
    await setAlarmState(
      deps,
      { name: 'serverless-dev-api-errors', state: 'OK', reason: 'drill over' },
      { id: 'usr_priya_raman', name: 'Priya Raman' },
      { ip: '10.0.0.9', userAgent: 'vitest' },
    );
    expect(
      await db.prisma.auditEvent.findMany({ select: { action: true, actorId: true, targetId: true, environment: true, before: true, after: true, ip: true } }),
    ).toEqual([
      {
        action: 'alarm.state.set',
        actorId: 'usr_priya_raman',
        targetId: `${REGION}/serverless-dev-api-errors`,
        environment: 'DEV',
        before: { state: 'ALARM' },
        after: { state: 'OK', reason: 'drill over' },
        ip: '10.0.0.9',
      },
    ]);
    expect((await verifyAuditChain(db.prisma)).ok).toBe(true);
  });
});

describe('sandbox health endpoints', () => {
  it('answer from the alarms: ok when quiet, down while API errors alarm, degraded while the DB check fails', async () => {
    const fresh = await createTestDatabase('embedded');
    try {
      const s = createSandboxStore(fresh.prisma);
      const source = createSandboxHealthSource({ accountOf: () => ({ store: s, region: REGION }) });
      expect(source.environments()).toEqual(['dev', 'staging', 'prod']);
      expect(await source.check('prod', QUIET)).toMatchObject({
        status: 'ok',
        httpStatus: 200,
        dbOk: true,
        error: null,
        version: expect.stringMatching(/^serverless-prod@/),
      });

      const cw = createSandboxCloudWatch({ store: s, region: REGION, now: () => QUIET });
      await cw.setAlarmState(REGION, 'serverless-prod-rds-cpu', 'ALARM', 'drill');
      const later = new Date(QUIET.getTime() + 30_000);
      expect(await source.check('prod', later)).toMatchObject({
        status: 'degraded',
        httpStatus: 503,
        dbOk: false,
        error: 'database check failed: query timed out after 1000 ms',
      });
      expect((await source.check('staging', later)).status).toBe('ok');

      await cw.setAlarmState(REGION, 'serverless-prod-api-errors', 'ALARM', 'drill');
      expect(await source.check('prod', later)).toMatchObject({
        status: 'down',
        httpStatus: 502,
        error: expect.stringContaining('HTTP 502 with an unexpected body'),
      });
      // The state set holds ten minutes, then the simulated metric decides again.
      expect((await source.check('prod', new Date(QUIET.getTime() + 11 * 60_000))).status).toBe('ok');
    } finally {
      await fresh.drop();
    }
  });
});
