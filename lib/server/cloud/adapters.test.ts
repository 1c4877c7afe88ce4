import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseAccountsConfig, routeFor } from '@/lib/cloud/accounts';
import type { PolicyDocument } from '@/lib/grants/policy';
import { parseEnv } from '@/lib/server/env-schema';
import { createTestDatabase } from '@/lib/server/db/test-databases';

// The sandbox adapters read the process's database: here, a fresh test database.
const holder = vi.hoisted(() => ({ db: null as null | { prisma: unknown } }));
vi.mock('@/lib/server/db/connection', () => ({ prisma: () => holder.db!.prisma }));

const { cloudRoutes, createCloudAdapters, sandboxAccounts } = await import('@/lib/server/cloud/adapters');

const REGION = 'eu-central-1';
const sandbox = (more: Record<string, string> = {}) => parseEnv({ GATEHOUSE_CLOUD: 'sandbox', AWS_REGION: REGION, ...more });
const THREE = sandbox();
const SINGLE = sandbox({ GATEHOUSE_SANDBOX_ACCOUNTS: 'single' });
const DOC: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'Read', Effect: 'Allow', Action: ['secretsmanager:DescribeSecret'], Resource: ['*'] }],
};

describe('cloudRoutes in sandbox mode', () => {
  it('simulates one account per environment by default, with fixed ids and aliases (dev keeps 111122223333)', () => {
    expect(cloudRoutes(THREE).map((r) => [r.key, r.accountId, r.alias, r.environments, r.roleArn, r.primaryRegion])).toEqual([
      ['111122223333', '111122223333', 'sandbox-dev', ['DEV'], null, REGION],
      ['444455556666', '444455556666', 'sandbox-staging', ['STAGING'], null, REGION],
      ['777788889999', '777788889999', 'sandbox-prod', ['PROD'], null, REGION],
    ]);
  });

  it('keeps the single account of before with GATEHOUSE_SANDBOX_ACCOUNTS=single', () => {
    expect(cloudRoutes(SINGLE)).toEqual([
      {
        key: 'home',
        accountId: null,
        alias: null,
        primaryRegion: REGION,
        regions: [REGION],
        roleArn: null,
        externalId: null,
        templateBucket: null,
        environments: ['DEV', 'STAGING', 'PROD'],
      },
    ]);
  });

  it('simulates the accounts GATEHOUSE_ACCOUNTS names instead, whatever GATEHOUSE_SANDBOX_ACCOUNTS says', () => {
    const accounts = JSON.stringify({
      dev: { accountId: '210987654321', alias: 'acme-dev' },
      staging: { accountId: '210987654321', alias: 'acme-dev' },
      prod: {
        accountId: '123456789012',
        alias: 'acme-prod',
        regions: ['eu-west-1'],
        roleArn: 'arn:aws:iam::123456789012:role/gatehouse-prod',
        externalId: 'ext-prod',
      },
    });
    for (const s of [sandbox({ GATEHOUSE_ACCOUNTS: accounts }), sandbox({ GATEHOUSE_ACCOUNTS: accounts, GATEHOUSE_SANDBOX_ACCOUNTS: 'single' })]) {
      expect(cloudRoutes(s).map((r) => [r.accountId, r.alias, r.environments, r.primaryRegion])).toEqual([
        ['210987654321', 'acme-dev', ['DEV', 'STAGING'], REGION],
        ['123456789012', 'acme-prod', ['PROD'], 'eu-west-1'],
      ]);
      // The portal's own simulated account is kept beside them (it holds no environment).
      expect(sandboxAccounts(s).map((a) => [a.accountId, a.alias, a.environments])).toEqual([
        ['210987654321', 'acme-dev', ['DEV', 'STAGING']],
        ['123456789012', 'acme-prod', ['PROD']],
        ['111122223333', null, []],
      ]);
    }
  });

  it('leaves aws mode alone: without GATEHOUSE_ACCOUNTS the portal’s own account holds every environment', () => {
    const aws = parseEnv({ GATEHOUSE_CLOUD: 'aws', AWS_REGION: REGION, GATEHOUSE_SANDBOX_ACCOUNTS: 'three' });
    expect(cloudRoutes(aws).map((r) => [r.key, r.environments])).toEqual([['home', ['DEV', 'STAGING', 'PROD']]]);
    expect(sandboxAccounts(aws)).toEqual([]);
  });

  it('lists the simulated accounts once each: three, or the single one', () => {
    expect(sandboxAccounts(THREE).map((a) => [a.accountId, a.alias, a.environments])).toEqual([
      ['111122223333', 'sandbox-dev', ['DEV']],
      ['444455556666', 'sandbox-staging', ['STAGING']],
      ['777788889999', 'sandbox-prod', ['PROD']],
    ]);
    expect(sandboxAccounts(SINGLE).map((a) => [a.accountId, a.alias, a.environments])).toEqual([['111122223333', null, ['DEV', 'STAGING', 'PROD']]]);
  });
});

describe('each route’s sandbox adapters act in that account', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase('embedded');
    holder.db = db;
  });
  afterAll(async () => db.drop());

  const adaptersOf = (s: ReturnType<typeof sandbox>, environment: 'DEV' | 'STAGING' | 'PROD') => createCloudAdapters(s, routeFor(cloudRoutes(s), environment));

  it('STS answers with the account’s id and a principal in it', async () => {
    expect(await adaptersOf(THREE, 'PROD').accountIdentity().describeAccount()).toEqual({
      mode: 'sandbox',
      accountId: '777788889999',
      principalArn: 'arn:aws:iam::777788889999:role/gatehouse-portal',
      region: REGION,
    });
    expect((await adaptersOf(THREE, 'STAGING').account()).accountId).toBe('444455556666');
    expect((await adaptersOf(THREE, 'DEV').account()).accountId).toBe('111122223333');
    expect((await adaptersOf(SINGLE, 'PROD').account()).accountId).toBe('111122223333');
  });

  it('a prod policy lands in the prod account only, with a prod ARN; dev and single mode do not see it', async () => {
    const prod = adaptersOf(THREE, 'PROD');
    await prod.sandbox!.iam().ensureUser('minji.kim');
    const arn = await prod.iam().ensurePolicy('gatehouse-grant-prod1', DOC, {});
    expect(arn).toBe('arn:aws:iam::777788889999:policy/gatehouse/gatehouse-grant-prod1');
    await prod.iam().attachPolicy({ kind: 'IAM_USER', name: 'minji.kim', arn: 'arn:aws:iam::111122223333:user/minji.kim' }, arn);
    expect((await prod.iam().listPolicies('/gatehouse/')).map((p) => [p.arn, p.attachedTo])).toEqual([[arn, [{ kind: 'IAM_USER', name: 'minji.kim' }]]]);
    expect(await prod.sandbox!.iam().principalArns()).toEqual(new Map([['user/minji.kim', 'arn:aws:iam::777788889999:user/minji.kim']]));
    expect(await adaptersOf(THREE, 'DEV').iam().listPolicies('/gatehouse/')).toEqual([]);
    expect(await adaptersOf(THREE, 'STAGING').iam().listPolicies('/gatehouse/')).toEqual([]);
    // Single mode is the original account: the same rows as dev's.
    expect(await adaptersOf(SINGLE, 'PROD').iam().listPolicies('/gatehouse/')).toEqual([]);
    expect((await prod.iamAccount().describeAccount()).accountId).toBe('777788889999');
  });

  it('a secret registered in staging has a staging ARN and lives in staging only', async () => {
    const staging = adaptersOf(THREE, 'STAGING');
    const created = await staging.secrets().createSecret({ name: 'staging/payments/new', description: '', tags: {}, idempotencyKey: 'grant-1' });
    expect(created.arn).toMatch(/^arn:aws:secretsmanager:eu-central-1:444455556666:secret:staging\/payments\/new-[A-Za-z0-9]{6}$/);
    expect(await staging.secrets().describeSecret('staging/payments/new')).toEqual(created);
    expect(await adaptersOf(THREE, 'DEV').secrets().describeSecret('staging/payments/new')).toBeNull();
    expect(await adaptersOf(THREE, 'PROD').secrets().describeSecret('staging/payments/new')).toBeNull();
  });

  it("a use recorded in prod's simulated CloudTrail is found there, in its window only, and nowhere else", async () => {
    const principalArn = 'arn:aws:iam::777788889999:user/minji.kim';
    const resourceArn = 'arn:aws:secretsmanager:eu-central-1:777788889999:secret:prod/payments/stripe-api-key-AbCdEf';
    const window = { principalArn, resourceArn, start: new Date('2026-11-02T09:00:00Z'), end: new Date('2026-11-02T10:00:00Z') };
    await adaptersOf(THREE, 'PROD')
      .sandbox!.cloudTrail()
      .recordEvent({ at: new Date('2026-11-02T09:30:00Z'), eventName: 'GetSecretValue', principalArn, resourceArn });
    expect(await adaptersOf(THREE, 'PROD').cloudTrail().findActivity(window)).toEqual({ at: new Date('2026-11-02T09:30:00Z'), eventName: 'GetSecretValue' });
    expect(
      await adaptersOf(THREE, 'PROD')
        .cloudTrail()
        .findActivity({ ...window, end: new Date('2026-11-02T09:29:59Z') }),
    ).toBeNull();
    expect(
      await adaptersOf(THREE, 'PROD')
        .cloudTrail()
        .findActivity({ ...window, principalArn: 'arn:aws:iam::777788889999:user/other' }),
    ).toBeNull();
    expect(await adaptersOf(THREE, 'DEV').cloudTrail().findActivity(window)).toBeNull();
  });

  it('each account simulates its own environment’s alarms; single mode holds them all', async () => {
    const names = async (s: ReturnType<typeof sandbox>, e: 'DEV' | 'PROD') => (await adaptersOf(s, e).cloudWatch().describeAlarms(REGION)).map((a) => a.name);
    const prodAlarms = await adaptersOf(THREE, 'PROD').cloudWatch().describeAlarms(REGION);
    expect(prodAlarms.length).toBeGreaterThan(0);
    expect(prodAlarms.every((a) => a.name.startsWith('serverless-prod-') && a.arn.startsWith('arn:aws:cloudwatch:eu-central-1:777788889999:alarm:'))).toBe(
      true,
    );
    expect(prodAlarms.every((a) => a.alarmActions.every((t) => t === 'arn:aws:sns:eu-central-1:777788889999:serverless-prod-alarms'))).toBe(true);
    expect((await names(THREE, 'DEV')).every((n) => n.startsWith('serverless-dev-'))).toBe(true);
    const all = await names(SINGLE, 'PROD');
    expect(all.length).toBe(3 * prodAlarms.length);
    // A dev alarm is not in the prod account.
    await expect(adaptersOf(THREE, 'PROD').cloudWatch().setAlarmState(REGION, 'serverless-dev-api-errors', 'ALARM', 'drill')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    // A state set in prod's account is prod's: the health endpoint of prod follows it, dev's not.
    await adaptersOf(THREE, 'PROD').cloudWatch().setAlarmState(REGION, 'serverless-prod-api-errors', 'ALARM', 'drill');
    const health = adaptersOf(THREE, 'DEV').sandbox!.healthSource();
    expect(health.environments()).toEqual(['dev', 'staging', 'prod']);
    expect((await health.check('prod', new Date(Date.now() + 1000))).status).toBe('down');
    const forced = (await adaptersOf(THREE, 'PROD').cloudWatch().describeAlarms(REGION)).find((a) => a.name === 'serverless-prod-api-errors');
    expect(forced).toMatchObject({ state: 'ALARM', stateReason: 'drill' });
    // The original account (single mode's) simulates prod's alarm too, but the state was set in prod's account, not there.
    const original = (await adaptersOf(SINGLE, 'PROD').cloudWatch().describeAlarms(REGION)).find((a) => a.name === 'serverless-prod-api-errors');
    expect(original?.stateReason).not.toBe('drill');
  });
});

describe('parseAccountsConfig', () => {
  it('accepts the sandbox’s own three accounts as a configuration', async () => {
    const { SANDBOX_ACCOUNTS_CONFIG } = await import('@/lib/cloud/sandbox-ids');
    expect(parseAccountsConfig(SANDBOX_ACCOUNTS_CONFIG)).toEqual({ ok: true, config: SANDBOX_ACCOUNTS_CONFIG });
  });
});
