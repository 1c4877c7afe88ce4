/**
 * Opt-in check against a real AWS API (`npm run test:aws` with AWS_ENDPOINT_URL for moto, or
 * GATEHOUSE_AWS_E2E=1 with a sandbox account whose credentials may assume the two roles below):
 * the alarm dashboard reads two accounts through the real adapters (docs/decisions/039). Each
 * account is reached by assuming a role in it, and moto keeps each account's alarms apart. Both
 * accounts have an alarm of the same name: the overview shows both, each labelled with its account,
 * and a state set in one account leaves the other's alarm as it was.
 */
import { randomBytes } from 'node:crypto';
import { CloudWatchClient, DeleteAlarmsCommand, DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSharedCache } from '@/lib/alarms/cache';
import { overviewQuerySchema } from '@/lib/alarms/schemas';
import { getAlarmDetail, getOverview, setAlarmState, type AlarmDeps } from '@/lib/alarms/service';
import { manualClock, memoryCacheStore } from '@/lib/alarms/test-fakes';
import type { AccountRoute } from '@/lib/cloud/accounts';
import { awsClientIn } from '@/lib/server/aws/clients';
import { createCloudAdapters, type CloudSettings } from '@/lib/server/cloud/adapters';
import { env } from '@/lib/server/env';

// The suite's own on-switch, not portal configuration: env() has no reason to know it.
// eslint-disable-next-line no-restricted-properties -- test-only switch, read once here
const { AWS_ENDPOINT_URL, GATEHOUSE_AWS_E2E, GATEHOUSE_E2E_DEV_ACCOUNT, GATEHOUSE_E2E_PROD_ACCOUNT } = process.env;
const enabled = Boolean(AWS_ENDPOINT_URL) || GATEHOUSE_AWS_E2E === '1';
if (!enabled) console.info('skipped: set AWS_ENDPOINT_URL (moto) or GATEHOUSE_AWS_E2E=1 with credentials that may assume the two accounts’ roles');

const DEV_ID = GATEHOUSE_E2E_DEV_ACCOUNT ?? '111111111111';
const PROD_ID = GATEHOUSE_E2E_PROD_ACCOUNT ?? '222222222222';
const run = randomBytes(4).toString('hex');
const ALARM = `gatehouse-e2e-${run}-api-errors`;

function route(accountId: string, alias: string, region: string): AccountRoute {
  return {
    key: accountId,
    accountId,
    alias,
    primaryRegion: region,
    regions: [region],
    roleArn: `arn:aws:iam::${accountId}:role/gatehouse-${alias}`,
    externalId: `gatehouse-e2e-${alias}`,
    templateBucket: null,
    environments: [],
  };
}

describe.runIf(enabled)('alarms from two accounts through assumed roles', () => {
  let region: string;
  let routes: AccountRoute[];
  let deps: AlarmDeps;
  // The same client the adapter uses in that account (its assumed role's credentials).
  const cloudwatchIn = (r: AccountRoute) =>
    awsClientIn(r, `cloudwatch:${r.primaryRegion}`, (config) => new CloudWatchClient({ ...config, region: r.primaryRegion }));

  beforeAll(async () => {
    region = env().AWS_REGION;
    routes = [route(DEV_ID, 'dev', region), route(PROD_ID, 'prod', region)];
    const settings = { ...env(), GATEHOUSE_CLOUD: 'aws' } as CloudSettings;
    for (const [i, r] of routes.entries()) {
      await cloudwatchIn(r).send(
        new PutMetricAlarmCommand({
          AlarmName: ALARM,
          AlarmDescription: `${r.alias} account`,
          Namespace: 'AWS/Lambda',
          MetricName: 'Errors',
          Dimensions: [{ Name: 'FunctionName', Value: `serverless-${r.alias}-api` }],
          Statistic: 'Sum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: i + 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        }),
      );
    }
    const clock = manualClock();
    deps = {
      accounts: routes.map((r) => {
        const adapters = createCloudAdapters(settings, r);
        return { key: r.key, account: { accountId: r.accountId, alias: r.alias }, cloudwatch: adapters.cloudWatch(), sns: adapters.sns(), regions: r.regions };
      }),
      audit: { appendAudit: async () => {} },
      cache: createSharedCache({ store: memoryCacheStore(), clock, owner: 'e2e' }),
      clock,
    };
  });

  afterAll(async () => {
    for (const r of routes ?? [])
      await cloudwatchIn(r)
        .send(new DeleteAlarmsCommand({ AlarmNames: [ALARM] }))
        .catch(() => undefined);
  });

  it('lists the alarm of each account, labelled with its account, each read in its own account', async () => {
    const overview = await getOverview(deps, overviewQuerySchema.parse({ q: run }));
    const items = overview.groups.flatMap((g) => g.services.flatMap((s) => s.alarms));
    expect(items.map((a) => [a.account?.alias, a.accountKey, a.name, a.threshold]).sort()).toEqual([
      ['dev', DEV_ID, ALARM, 1],
      ['prod', PROD_ID, ALARM, 2],
    ]);
    // CloudWatch itself names the account each alarm is in.
    for (const [key, id] of [
      [DEV_ID, DEV_ID],
      [PROD_ID, PROD_ID],
    ])
      expect((await getAlarmDetail(deps, ALARM, region, key)).alarm.arn).toContain(`:${id}:alarm:`);
    expect(overview.sources.map((s) => [s.account?.alias, s.error])).toEqual([
      ['dev', null],
      ['prod', null],
    ]);
  });

  it('sets the state in the named account only, and refuses to guess between two accounts', async () => {
    await expect(setAlarmState(deps, { name: ALARM, state: 'ALARM', reason: 'drill' }, { id: 'usr_e2e', name: 'E2E' }, null)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await setAlarmState(deps, { name: ALARM, account: PROD_ID, state: 'ALARM', reason: 'drill' }, { id: 'usr_e2e', name: 'E2E' }, null);
    const stateIn = async (r: AccountRoute) => (await cloudwatchIn(r).send(new DescribeAlarmsCommand({ AlarmNames: [ALARM] }))).MetricAlarms?.[0]?.StateValue;
    expect(await stateIn(routes[1]!)).toBe('ALARM');
    expect(await stateIn(routes[0]!)).not.toBe('ALARM');
  });
});
