import path from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseParameterFile } from '@/lib/deployments/template-model';
import { summarizeExecution } from '@/lib/deployments/progress';
import { createSandboxStore } from '@/lib/server/db/repositories/sandbox-objects';
import { createTestDatabase } from '@/lib/server/db/test-databases';
import { createSandboxCloudWatch } from '@/lib/server/sandbox/alarms';
import { createSandboxCloudFormation } from '@/lib/server/sandbox/cloudformation';
import { firstForcedAlarm } from '@/lib/server/sandbox/alarm-simulation';

const TEMPLATE = readFileSync(path.join(process.cwd(), 'infra/template.yaml'), 'utf8');
const file = (env: string) => parseParameterFile(readFileSync(path.join(process.cwd(), `infra/parameters/${env}.json`), 'utf8'));
const DURATION = 10_000;
const MINUTE = 1_000;
const code = (n: number) => ({
  ApiCodeKey: `api/${String(n).repeat(64)}.zip`,
  WorkerCodeKey: `worker/${String(n).repeat(64)}.zip`,
  NotifierCodeKey: `notifier/${String(n).repeat(64)}.zip`,
  ReleaseLabel: `r-${String(n).repeat(12)}`,
});

describe('sandbox traffic shift (simulated CodeDeploy)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let t = Date.parse('2026-12-07T10:00:00Z');
  const clock = () => new Date(t);
  let cfn: ReturnType<typeof createSandboxCloudFormation>;
  let cloudWatch: ReturnType<typeof createSandboxCloudWatch>;
  beforeAll(async () => {
    db = await createTestDatabase('embedded');
    const store = createSandboxStore(db.prisma);
    cfn = createSandboxCloudFormation(store, { region: 'eu-central-1', durationMs: DURATION, shiftMinuteMs: MINUTE, now: clock });
    cloudWatch = createSandboxCloudWatch({ store, region: 'eu-central-1', now: clock });
    for (const env of ['dev', 'staging', 'prod']) await cfn.seedStack(`serverless-${env}`, TEMPLATE, { ...file(env), ...code(1) }, new Date(t - 86_400_000));
  });
  afterAll(async () => db.drop());

  async function deploy(env: string, n: number, token: string) {
    const stackName = `serverless-${env}`;
    const { changeSetId } = await cfn.createChangeSet({
      stackName,
      changeSetName: `cs-${token}`,
      changeSetType: 'UPDATE',
      templateBody: TEMPLATE,
      parameters: { ...file(env), ...code(n) },
      description: 'test',
    });
    const start = t;
    await cfn.executeChangeSet(stackName, changeSetId, token);
    return { stackName, start };
  }

  it('staging: a 10 % canary for five (simulated) minutes, then all traffic; the alias ends on the new version', async () => {
    const { stackName, start } = await deploy('staging', 2, 'tok-s1');
    const since = new Date(start);
    // Before CloudFormation reaches the aliases: nothing shifts yet.
    expect((await cfn.trafficShifts(stackName, since)).map((s) => s.deployment)).toEqual([null, null, null]);
    const seen: { percent: number; status: string | undefined; at: number }[] = [];
    for (t = start; t < start + DURATION + 10 * MINUTE; t += MINUTE / 4) {
      const [api] = await cfn.trafficShifts(stackName, since);
      seen.push({ percent: api!.newVersionPercent, status: api!.deployment?.status, at: t - start });
    }
    const percents = [...new Set(seen.filter((s) => s.status).map((s) => s.percent))];
    expect(percents).toEqual([0, 10, 100]);
    // The canary holds 10 % for five minutes.
    const canary = seen.filter((s) => s.percent === 10 && s.status === 'InProgress');
    expect(canary.at(-1)!.at - canary[0]!.at).toBeGreaterThanOrEqual(4.5 * MINUTE);
    const shifts = await cfn.trafficShifts(stackName, since);
    expect(shifts[0]).toEqual({
      function: 'api',
      functionName: 'serverless-staging-api',
      aliasVersion: '2',
      newVersion: '2',
      newVersionPercent: 100,
      deployment: expect.objectContaining({
        status: 'Succeeded',
        config: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
        fromVersion: '1',
        toVersion: '2',
        alarms: [{ name: 'serverless-staging-api-errors', state: 'OK' }],
        rolledBack: false,
        reason: null,
      }),
    });
    expect(shifts.map((s) => s.deployment?.status)).toEqual(['Succeeded', 'Succeeded', 'Succeeded']);
    expect((await cfn.describeStack(stackName))?.status).toBe('UPDATE_COMPLETE');
  });

  it('dev shifts all at once', async () => {
    const { stackName, start } = await deploy('dev', 2, 'tok-d1');
    t = start + DURATION + 5 * MINUTE;
    const [api] = await cfn.trafficShifts(stackName, new Date(start));
    expect(api).toMatchObject({ newVersionPercent: 100, deployment: { status: 'Succeeded', config: 'CodeDeployDefault.LambdaAllAtOnce' } });
    expect((await cfn.describeStack(stackName))?.status).toBe('UPDATE_COMPLETE');
  });

  it('the error alarm in ALARM during the canary stops the shift, traffic returns, the stack rolls back naming the alarm', async () => {
    const { stackName, start } = await deploy('prod', 2, 'tok-p1');
    const since = new Date(start);
    // Wait until 10 % is on the new version, then the function's errors alarm fires.
    while ((await cfn.trafficShifts(stackName, since))[0]!.newVersionPercent !== 10) t += MINUTE / 4;
    await cloudWatch.setAlarmState('eu-central-1', 'serverless-prod-api-errors', 'ALARM', 'Threshold Crossed: 7 errors on the new version');
    t += MINUTE;
    const [api] = await cfn.trafficShifts(stackName, since);
    expect(api).toMatchObject({
      aliasVersion: '1',
      newVersion: '2',
      newVersionPercent: 0,
      deployment: {
        status: 'Stopped',
        config: 'CodeDeployDefault.LambdaCanary10Percent10Minutes',
        alarms: [{ name: 'serverless-prod-api-errors', state: 'ALARM' }],
        rolledBack: true,
        reason: expect.stringContaining('stopped by alarm serverless-prod-api-errors (ALARM: Threshold Crossed: 7 errors on the new version)'),
      },
    });
    t += DURATION + 20 * MINUTE;
    expect((await cfn.describeStack(stackName))?.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    const events = await cfn.listStackEvents(stackName, { afterEventId: null, notBefore: since });
    const summary = summarizeExecution(events, { stackName, total: 10 });
    expect(summary.outcome).toBe('ROLLED_BACK');
    expect(summary.failure).toMatchObject({ logicalId: 'ApiAlias', reason: expect.stringContaining('alarm serverless-prod-api-errors') });
    // The stack kept the old code.
    expect((await cfn.describeStack(stackName))?.parameters.ApiCodeKey).toBe(code(1).ApiCodeKey);
    // Settled: an alarm set later does not rewrite what happened.
    const before = JSON.stringify(await cfn.listStackEvents(stackName, { afterEventId: null, notBefore: since }));
    await cloudWatch.setAlarmState('eu-central-1', 'serverless-prod-api-errors', 'OK', 'recovered');
    expect(JSON.stringify(await cfn.listStackEvents(stackName, { afterEventId: null, notBefore: since }))).toBe(before);
  });

  it('an alarm already in ALARM stops the shift as soon as traffic moves', async () => {
    await cloudWatch.setAlarmState('eu-central-1', 'serverless-dev-worker-errors', 'ALARM', 'fired from the sandbox page');
    const { stackName, start } = await deploy('dev', 3, 'tok-d2');
    t = start + DURATION + 5 * MINUTE;
    const shifts = await cfn.trafficShifts(stackName, new Date(start));
    expect(shifts.find((s) => s.function === 'worker')).toMatchObject({ newVersionPercent: 0, deployment: { status: 'Stopped', rolledBack: true } });
    expect((await cfn.describeStack(stackName))?.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  });
});

describe('firstForcedAlarm', () => {
  const at = (m: number) => new Date(Date.parse('2026-12-07T10:00:00Z') + m * 60_000).toISOString();
  const forced = new Map([
    [
      'a',
      [
        { at: at(0), state: 'ALARM' as const, reason: 'first' },
        { at: at(2), state: 'OK' as const, reason: 'fixed' },
      ],
    ],
    ['b', [{ at: at(5), state: 'ALARM' as const, reason: 'later' }]],
  ]);
  const t = (m: number) => Date.parse(at(m));
  it('finds the first moment one of the alarms is held in ALARM; a newer state replaces it; a hold ends after ten minutes', () => {
    expect(firstForcedAlarm(forced, ['a', 'b'], t(1), t(20))).toEqual({ at: t(1), alarm: 'a', reason: 'first' });
    expect(firstForcedAlarm(forced, ['a', 'b'], t(3), t(20))).toEqual({ at: t(5), alarm: 'b', reason: 'later' });
    expect(firstForcedAlarm(forced, ['a'], t(3), t(20))).toBeNull();
    expect(firstForcedAlarm(forced, ['b'], t(16), t(30))).toBeNull();
    expect(firstForcedAlarm(forced, ['c'], t(0), t(30))).toBeNull();
  });
});
