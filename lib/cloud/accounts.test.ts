import { describe, expect, it } from 'vitest';
import { accountLabel } from '@/lib/cloud/account-label';
import { accountRoutes, costRoute, parseAccountsConfig, routeFor, type AccountsConfig } from '@/lib/cloud/accounts';

const DEV = '111111111111';
const STAGING = '222222222222';
const PROD = '333333333333';
const PAYER = '444444444444';

const account = (id: string, env: string, extra: Record<string, unknown> = {}) => ({
  accountId: id,
  roleArn: `arn:aws:iam::${id}:role/gatehouse-${env}`,
  externalId: `ext-${env}-0001`,
  ...extra,
});

const THREE = {
  dev: account(DEV, 'dev', { alias: 'dev' }),
  staging: account(STAGING, 'staging', { alias: 'staging', regions: ['eu-central-1', 'eu-west-1'] }),
  prod: account(PROD, 'prod', { alias: 'prod', regions: ['eu-central-1'], templateBucket: 'gatehouse-prod-templates' }),
};

const DEFAULTS = { primaryRegion: 'us-east-1', alarmRegions: ['us-east-1', 'us-west-2'] };

function config(json: unknown): AccountsConfig {
  const parsed = parseAccountsConfig(json);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.config;
}

function refusal(json: unknown): string {
  const parsed = parseAccountsConfig(json);
  if (parsed.ok) throw new Error('parseAccountsConfig accepted an invalid configuration');
  return parsed.message;
}

describe('parseAccountsConfig', () => {
  it('accepts one account per environment, each with its role and external id', () => {
    expect(config(THREE)).toEqual(THREE);
  });

  it('accepts environments without a role: the portal acts there with its own credentials', () => {
    expect(config({ dev: { accountId: DEV }, staging: { accountId: DEV }, prod: account(PROD, 'prod') }).dev).toEqual({ accountId: DEV });
  });

  it('refuses a role in another account than the one it is for, naming prod.roleArn', () => {
    const message = refusal({ ...THREE, prod: { ...THREE.prod, roleArn: `arn:aws:iam::${STAGING}:role/gatehouse-prod` } });
    expect(message).toBe(`prod.roleArn: is in account ${STAGING}, not ${PROD}`);
  });

  it('refuses a role without an external id, and an external id without a role', () => {
    expect(refusal({ ...THREE, staging: { accountId: STAGING, roleArn: THREE.staging.roleArn } })).toBe('staging.externalId: is required with roleArn');
    expect(refusal({ ...THREE, dev: { accountId: DEV, externalId: 'ext-dev-0001' } })).toBe('dev.externalId: is only used with roleArn');
  });

  it('refuses unknown keys at the top and inside an environment, naming them', () => {
    expect(refusal({ ...THREE, qa: account(DEV, 'qa') })).toBe('unknown key(s) qa');
    expect(refusal({ ...THREE, prod: { ...THREE.prod, role: 'gatehouse-prod' } })).toBe('prod: unknown key(s) role');
  });

  it('refuses a missing environment and malformed values, each under its key', () => {
    const { prod: _, ...twoOnly } = THREE;
    expect(refusal(twoOnly)).toMatch(/^prod: /);
    expect(refusal({ ...THREE, dev: { ...THREE.dev, accountId: '1111' } })).toBe('dev.accountId: must be a 12-digit AWS account id');
    expect(refusal({ ...THREE, dev: { ...THREE.dev, roleArn: 'gatehouse-dev' } })).toMatch(/^dev\.roleArn: must be an IAM role ARN/);
    expect(refusal({ ...THREE, dev: { ...THREE.dev, externalId: 'x' } })).toMatch(/^dev\.externalId: must be 2–1224 characters/);
    expect(refusal({ ...THREE, dev: { ...THREE.dev, regions: [] } })).toBe('dev.regions: must name at least one region');
    expect(refusal({ ...THREE, dev: { ...THREE.dev, regions: ['Frankfurt'] } })).toBe('dev.regions.0: must be an AWS region such as eu-central-1');
    expect(refusal({ ...THREE, dev: { ...THREE.dev, alias: 'Dev Account' } })).toMatch(/^dev\.alias: must be a short name/);
    expect(refusal([])).toMatch(/expected object/);
  });

  it('refuses two environments in one account reached through different roles or external ids', () => {
    expect(refusal({ ...THREE, staging: account(DEV, 'staging') })).toBe(`staging.roleArn: must match dev's role and external id: both are account ${DEV}`);
    expect(refusal({ ...THREE, staging: { ...THREE.dev, externalId: 'ext-other-0001' } })).toBe(
      `staging.roleArn: must match dev's role and external id: both are account ${DEV}`,
    );
    expect(refusal({ ...THREE, staging: { accountId: DEV } })).toBe(`staging.roleArn: must match dev's role and external id: both are account ${DEV}`);
  });

  it('refuses two environments in one account that disagree about what the account is: alias, first region, template bucket', () => {
    const shared = { accountId: DEV, roleArn: THREE.dev.roleArn, externalId: THREE.dev.externalId };
    expect(refusal({ ...THREE, staging: { ...shared, alias: 'shared' } })).toBe(`staging.alias: must match dev's (dev): both are account ${DEV}`);
    expect(refusal({ ...THREE, dev: { ...THREE.dev, regions: ['eu-central-1'] }, staging: { ...shared, regions: ['us-east-1', 'eu-central-1'] } })).toBe(
      `staging.regions: must start with dev's first region (eu-central-1): both are account ${DEV}, and an account's stack, secrets and deployments are in one region`,
    );
    expect(refusal({ ...THREE, dev: { ...THREE.dev, templateBucket: 'bucket-one' }, staging: { ...shared, templateBucket: 'bucket-two' } })).toBe(
      `staging.templateBucket: must match dev's (bucket-one): both are account ${DEV}`,
    );
    // Leaving them out in the second environment agrees with the first.
    expect(config({ ...THREE, dev: { ...THREE.dev, regions: ['eu-central-1'], templateBucket: 'bucket-one' }, staging: shared }).staging).toEqual(shared);
  });

  it('takes costs from the management account (its own role, validated like an environment) or from each account', () => {
    const management = { source: 'management', ...account(PAYER, 'costs'), alias: 'payer' };
    expect(config({ ...THREE, costs: management }).costs).toEqual(management);
    expect(config({ ...THREE, costs: { source: 'each-account' } }).costs).toEqual({ source: 'each-account' });
    expect(refusal({ ...THREE, costs: { ...management, roleArn: `arn:aws:iam::${PROD}:role/gatehouse-costs` } })).toBe(
      `costs.roleArn: is in account ${PROD}, not ${PAYER}`,
    );
    expect(refusal({ ...THREE, costs: { source: 'management', accountId: PAYER, roleArn: management.roleArn } })).toBe(
      'costs.externalId: is required with roleArn',
    );
    expect(refusal({ ...THREE, costs: { source: 'payer' } })).toMatch(/^costs\.source: /);
    expect(refusal({ ...THREE, costs: { source: 'each-account', accountId: PAYER } })).toBe('costs: unknown key(s) accountId');
  });

  it("refuses a management account that is an environment's account reached through another role", () => {
    expect(refusal({ ...THREE, costs: { source: 'management', ...account(PROD, 'costs') } })).toBe(
      `costs.roleArn: must match prod's role and external id: both are account ${PROD}`,
    );
    // Without a role of its own it is reached as the environment's account is.
    expect(config({ ...THREE, costs: { source: 'management', accountId: PROD } }).costs).toEqual({ source: 'management', accountId: PROD });
  });

  it('names every bad key at once', () => {
    const message = refusal({ ...THREE, dev: { ...THREE.dev, accountId: 'x' }, prod: { ...THREE.prod, externalId: undefined } });
    expect(message.split('; ').sort()).toEqual(['dev.accountId: must be a 12-digit AWS account id', 'prod.externalId: is required with roleArn'].sort());
  });
});

describe('accountRoutes', () => {
  it('without a configuration: one home account holding every environment, in AWS_REGION with the alarm regions', () => {
    expect(accountRoutes(null, DEFAULTS)).toEqual([
      {
        key: 'home',
        accountId: null,
        alias: null,
        primaryRegion: 'us-east-1',
        regions: ['us-east-1', 'us-west-2'],
        roleArn: null,
        externalId: null,
        templateBucket: null,
        environments: ['DEV', 'STAGING', 'PROD'],
      },
    ]);
  });

  it('one route per account, in environment order, each with its role, regions and bucket', () => {
    expect(accountRoutes(config(THREE), DEFAULTS)).toEqual([
      {
        key: DEV,
        accountId: DEV,
        alias: 'dev',
        primaryRegion: 'us-east-1',
        regions: ['us-east-1', 'us-west-2'],
        roleArn: THREE.dev.roleArn,
        externalId: THREE.dev.externalId,
        templateBucket: null,
        environments: ['DEV'],
      },
      {
        key: STAGING,
        accountId: STAGING,
        alias: 'staging',
        primaryRegion: 'eu-central-1',
        regions: ['eu-central-1', 'eu-west-1'],
        roleArn: THREE.staging.roleArn,
        externalId: THREE.staging.externalId,
        templateBucket: null,
        environments: ['STAGING'],
      },
      {
        key: PROD,
        accountId: PROD,
        alias: 'prod',
        primaryRegion: 'eu-central-1',
        regions: ['eu-central-1'],
        roleArn: THREE.prod.roleArn,
        externalId: THREE.prod.externalId,
        templateBucket: 'gatehouse-prod-templates',
        environments: ['PROD'],
      },
    ]);
  });

  it('groups environments that share an account into one route, merging regions, alias and bucket', () => {
    const shared = { accountId: DEV, roleArn: THREE.dev.roleArn, externalId: THREE.dev.externalId };
    const routes = accountRoutes(
      config({
        dev: { ...shared, regions: ['eu-central-1'] },
        staging: { ...shared, alias: 'nonprod', regions: ['eu-central-1', 'eu-west-1'], templateBucket: 'nonprod-templates' },
        prod: THREE.prod,
      }),
      DEFAULTS,
    );
    expect(routes.map((r) => r.key)).toEqual([DEV, PROD]);
    expect(routes[0]).toMatchObject({
      alias: 'nonprod',
      primaryRegion: 'eu-central-1',
      regions: ['eu-central-1', 'eu-west-1'],
      templateBucket: 'nonprod-templates',
      environments: ['DEV', 'STAGING'],
    });
    expect(routeFor(routes, 'STAGING').key).toBe(DEV);
    expect(routeFor(routes, 'PROD').key).toBe(PROD);
  });

  it("takes an account's home region from the first environment that names regions", () => {
    const shared = { accountId: DEV, roleArn: THREE.dev.roleArn, externalId: THREE.dev.externalId };
    const [nonprod] = accountRoutes(config({ dev: shared, staging: { ...shared, regions: ['eu-west-1'] }, prod: THREE.prod }), DEFAULTS);
    expect(nonprod).toMatchObject({ primaryRegion: 'eu-west-1', regions: ['us-east-1', 'us-west-2', 'eu-west-1'], environments: ['DEV', 'STAGING'] });
  });

  it('gives an environment that names no regions AWS_REGION as its home and GATEHOUSE_ALARM_REGIONS for alarms, as one account does', () => {
    const [dev] = accountRoutes(config(THREE), { primaryRegion: 'eu-central-1', alarmRegions: ['us-east-1'] });
    expect(dev).toMatchObject({ primaryRegion: 'eu-central-1', regions: ['us-east-1'] });
  });
});

describe('costRoute', () => {
  const routes = (c: AccountsConfig) => accountRoutes(c, DEFAULTS);

  it('unconfigured: the home account', () => {
    expect(costRoute(null, accountRoutes(null, DEFAULTS))).toEqual({ source: 'home', account: null });
  });

  it('configured without costs: each account', () => {
    const c = config(THREE);
    expect(costRoute(c, routes(c))).toEqual({ source: 'each-account', account: null });
  });

  it('management: its own route in us-east-1 (where Cost Explorer answers) through its own role', () => {
    const c = config({ ...THREE, costs: { source: 'management', ...account(PAYER, 'costs'), alias: 'payer' } });
    expect(costRoute(c, routes(c))).toEqual({
      source: 'management',
      account: {
        key: PAYER,
        accountId: PAYER,
        alias: 'payer',
        primaryRegion: 'us-east-1',
        regions: [],
        roleArn: `arn:aws:iam::${PAYER}:role/gatehouse-costs`,
        externalId: 'ext-costs-0001',
        templateBucket: null,
        environments: [],
      },
    });
  });

  it("management in an environment's account: that account's route", () => {
    const c = config({ ...THREE, costs: { source: 'management', accountId: PROD } });
    const all = routes(c);
    expect(costRoute(c, all)).toEqual({ source: 'management', account: all[2] });
  });
});

describe('accountLabel', () => {
  it('alias and id, the id alone, or the alias of an account whose id is not known', () => {
    expect(accountLabel({ accountId: PROD, alias: 'prod' })).toBe(`prod (${PROD})`);
    expect(accountLabel({ accountId: PROD, alias: null })).toBe(PROD);
    expect(accountLabel({ accountId: null, alias: null })).toBe('');
  });
});
