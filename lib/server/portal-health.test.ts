import { describe, expect, it } from 'vitest';
import { accountRoutes, costRoute, parseAccountsConfig, type AccountRoute } from '@/lib/cloud/accounts';
import type { CloudAccount } from '@/lib/cloud/account';
import { AppError } from '@/lib/errors';
import { checkHealth } from '@/lib/portal-health/check-health';
import { cloudProbes } from '@/lib/server/portal-health';

const DEFAULTS = { primaryRegion: 'eu-central-1', alarmRegions: ['eu-central-1'] };
const role = (id: string, env: string) => `arn:aws:iam::${id}:role/gatehouse-${env}`;
const parsed = parseAccountsConfig({
  dev: { accountId: '111111111111', alias: 'dev', roleArn: role('111111111111', 'dev'), externalId: 'ext-dev-0001' },
  staging: { accountId: '222222222222', roleArn: role('222222222222', 'staging'), externalId: 'ext-staging-0001' },
  prod: { accountId: '333333333333', alias: 'prod', roleArn: role('333333333333', 'prod'), externalId: 'ext-prod-0001' },
});
if (!parsed.ok) throw new Error(parsed.message);
const [HOME] = accountRoutes(null, DEFAULTS) as [AccountRoute];
const [DEV, STAGING, PROD] = accountRoutes(parsed.config, DEFAULTS) as [AccountRoute, AccountRoute, AccountRoute];

/** An account's adapters as the health check uses them: STS answers as `answer`, or fails with it. */
function fakeAccount(route: AccountRoute, answer: string | Error, mode: 'aws' | 'sandbox' = 'aws') {
  const calls: string[] = [];
  return {
    calls,
    mode,
    route,
    accountIdentity: () => ({
      describeAccount: async (): Promise<CloudAccount> => {
        calls.push(route.key);
        if (answer instanceof Error) throw answer;
        return { mode: 'aws', accountId: answer, principalArn: `arn:aws:sts::${answer}:assumed-role/gatehouse/web-1`, region: route.primaryRegion };
      },
    }),
  };
}

const summary = (report: Awaited<ReturnType<typeof checkHealth>>) =>
  Object.fromEntries(Object.entries(report.checks).map(([name, c]) => [name, c.status === 'ok' ? 'ok' : c.error]));

describe('cloudProbes', () => {
  it('has no cloud probe in sandbox mode', () => {
    expect(cloudProbes(fakeAccount(HOME, '111122223333', 'sandbox'), [fakeAccount(HOME, '111122223333', 'sandbox')])).toEqual({});
  });

  it('keeps the single `aws` probe when the portal works in its own account only', async () => {
    const home = fakeAccount(HOME, '123456789012');
    const probes = cloudProbes(home, [home]);
    expect(Object.keys(probes)).toEqual(['aws']);
    expect(summary(await checkHealth(probes))).toEqual({ aws: 'ok' });
    expect(home.calls).toEqual(['home']);
  });

  it('asks STS in every configured account, one probe each named by alias and id, so a broken account shows which', async () => {
    const home = fakeAccount({ ...HOME, environments: [] }, '123456789012');
    const accounts = [
      fakeAccount(DEV, '111111111111'),
      fakeAccount(STAGING, new AppError('UNAVAILABLE', `cannot assume ${role('222222222222', 'staging')}: STS AssumeRole was denied by AWS`)),
      fakeAccount(PROD, '333333333333'),
    ];
    const report = await checkHealth(cloudProbes(home, accounts));
    expect(summary(report)).toEqual({
      aws: 'ok',
      'aws:dev (111111111111)': 'ok',
      'aws:222222222222': `cannot assume ${role('222222222222', 'staging')}: STS AssumeRole was denied by AWS`,
      'aws:prod (333333333333)': 'ok',
    });
    expect(report.status).toBe('fail');
    expect(accounts.map((a) => a.calls)).toEqual([['111111111111'], ['222222222222'], ['333333333333']]);
  });

  it('asks each account once, the management account of costs among them', async () => {
    const management = parseAccountsConfig({
      ...(parsed.ok ? parsed.config : {}),
      costs: { source: 'management', accountId: '444444444444', alias: 'payer', roleArn: role('444444444444', 'costs'), externalId: 'ext-costs-0001' },
    });
    if (!management.ok) throw new Error(management.message);
    const routes = accountRoutes(management.config, DEFAULTS);
    const payer = costRoute(management.config, routes).account!;
    const accounts = [...routes, payer, PROD].map((r) => fakeAccount(r, r.accountId!));
    const probes = cloudProbes(fakeAccount(HOME, '123456789012'), accounts);
    expect(Object.keys(probes)).toEqual(['aws', 'aws:dev (111111111111)', 'aws:222222222222', 'aws:prod (333333333333)', 'aws:payer (444444444444)']);
    expect((await checkHealth(probes)).status).toBe('ok');
    expect(accounts.map((a) => a.calls.length)).toEqual([1, 1, 1, 1, 0]);
  });

  it('fails an account whose credentials answer as another account', async () => {
    const report = await checkHealth(cloudProbes(fakeAccount(HOME, '123456789012'), [fakeAccount(PROD, '123456789012')]));
    expect(summary(report)['aws:prod (333333333333)']).toBe(
      'answered as account 123456789012 (arn:aws:sts::123456789012:assumed-role/gatehouse/web-1), not 333333333333',
    );
  });
});
