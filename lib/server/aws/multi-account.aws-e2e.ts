/**
 * The adapters across accounts (docs/decisions/039) against moto: `npm run test:aws` with
 * AWS_ENDPOINT_URL pointing at moto. moto keeps separate state per account, and a request signed
 * with credentials from sts:AssumeRole on arn:aws:iam::<id>:role/… acts in account <id>; so each
 * route's effects are read back in its own account with a client of that account, and are checked
 * absent from the others.
 *
 * moto accepts every AssumeRole (an unknown role, an unknown account, any external id), so a role
 * that cannot be assumed is simulated by a proxy in front of moto that answers AssumeRole for that
 * one role as STS does when the trust policy refuses the caller (403 AccessDenied); everything else
 * passes through, and AssumeRole calls are counted per role.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudWatchClient, DeleteAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CreateUserCommand, DeleteUserCommand, GetPolicyCommand, IAMClient, ListEntitiesForPolicyCommand, ListPoliciesCommand } from '@aws-sdk/client-iam';
import { DeleteSecretCommand, DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AccountRoute } from '@/lib/cloud/accounts';
import type { AppError } from '@/lib/errors';
import type { CloudAdapters } from '@/lib/server/cloud/adapters';

// The suite's own on-switch, not portal configuration: env() has no reason to know it.
// eslint-disable-next-line no-restricted-properties -- test-only switch, read once here
const { AWS_ENDPOINT_URL: MOTO } = process.env;
// Real accounts would need the roles of infra/ deployed in three accounts: this runs against moto only.
if (!MOTO) console.info('skipped: set AWS_ENDPOINT_URL to a moto server (multi-account state per assumed role is a moto behaviour)');

const id = randomBytes(4).toString('hex');
const DEV = '111111111111';
const STAGING = '222222222222';
const PROD = '333333333333';
const PAYER = '444444444444';
const role = (account: string, env: string) => `arn:aws:iam::${account}:role/gatehouse-${env}`;
/** STS refuses this one (the proxy below): staging's environment is unreachable, dev and prod are not. */
const REFUSED_ROLE = role(STAGING, 'staging');
const ACCOUNTS = {
  dev: { accountId: DEV, alias: 'dev', roleArn: role(DEV, 'dev'), externalId: `ext-dev-${id}` },
  staging: { accountId: STAGING, alias: 'staging', roleArn: REFUSED_ROLE, externalId: `ext-staging-${id}` },
  prod: { accountId: PROD, alias: 'prod', roleArn: role(PROD, 'prod'), externalId: `ext-prod-${id}`, regions: ['eu-central-1'] },
  costs: { source: 'management', accountId: PAYER, alias: 'payer', roleArn: role(PAYER, 'costs'), externalId: `ext-costs-${id}` },
};
const REFUSED_MESSAGE = `cannot assume ${REFUSED_ROLE}: AWS denied it: the role's trust policy must allow the portal's identity with this external id, and the portal's identity needs sts:AssumeRole on the role (AccessDenied)`;
const READER = { accessKeyId: 'moto-test-only', secretAccessKey: 'moto-test-only' };

/** AssumeRole answered as STS answers a caller the role's trust policy does not name. */
const accessDenied = (roleArn: string) =>
  `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/portal is not authorized to perform: sts:AssumeRole on resource: ${roleArn}</Message></Error><RequestId>refused-${id}</RequestId></ErrorResponse>`;

/** A proxy in front of moto: refuses AssumeRole of REFUSED_ROLE, counts AssumeRole per role, forwards the rest. */
async function startStsProxy(target: URL) {
  const assumed = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const form = String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
        ? new URLSearchParams(body.toString('utf8'))
        : null;
      const roleArn = form?.get('Action') === 'AssumeRole' ? form.get('RoleArn') : null;
      if (roleArn) assumed.set(roleArn, (assumed.get(roleArn) ?? 0) + 1);
      if (roleArn === REFUSED_ROLE) {
        res.writeHead(403, { 'content-type': 'text/xml', 'x-amzn-requestid': `refused-${id}` });
        res.end(accessDenied(roleArn));
        return;
      }
      const up = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => req.socket.destroy());
      up.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const close = async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  };
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, assumed, close };
}

/** Credentials of `roleArn` straight from moto (not through the portal's cache): the test's own view of an account. */
async function assumeDirectly(roleArn: string) {
  const out = await new STSClient({ region: 'us-east-1', endpoint: MOTO, credentials: READER }).send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: `reader-${id}`, ExternalId: 'reader' }),
  );
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}

/** SDK clients that act in one account directly against moto, to read back what the portal did there. */
async function readerOf(account: string, env: string, region = 'us-east-1') {
  const config = { region, endpoint: MOTO, credentials: await assumeDirectly(role(account, env)) };
  return { iam: new IAMClient(config), secrets: new SecretsManagerClient(config), cloudWatch: new CloudWatchClient(config) };
}

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const e = await promise.then(
    () => {
      throw new Error('the call succeeded');
    },
    (err: unknown) => err,
  );
  expect((e as Error).name).toBe('AppError');
  return e as AppError;
}

/** Runs a cleanup step; a failure is reported but does not hide the test's own result. */
async function bestEffort(what: string, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (e) {
    console.warn(`[aws-e2e] cleanup: ${what} failed`, e);
  }
}

describe.skipIf(!MOTO)('adapters across accounts (moto)', () => {
  let proxy: Awaited<ReturnType<typeof startStsProxy>>;
  let routes: AccountRoute[];
  let cloudAccounts: typeof import('@/lib/server/cloud/adapters').cloudAccounts;
  let cloudFor: typeof import('@/lib/server/cloud/adapters').cloudFor;
  let dev: CloudAdapters;
  let staging: CloudAdapters;
  let prod: CloudAdapters;
  let readers: { dev: Awaited<ReturnType<typeof readerOf>>; prod: Awaited<ReturnType<typeof readerOf>> };
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    proxy = await startStsProxy(new URL(MOTO!));
    // The portal's clients talk to the proxy; env() reads this when the modules below first use it.
    vi.stubEnv('AWS_ENDPOINT_URL', proxy.url);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_MAX_ATTEMPTS', '1');
    vi.stubEnv('GATEHOUSE_CLOUD', 'aws');
    vi.stubEnv('GATEHOUSE_ACCOUNTS', JSON.stringify(ACCOUNTS));
    // The portal's own wiring from its configuration: cloudFor(environment) is createCloudAdapters(env(), its route).
    ({ cloudAccounts, cloudFor } = await import('@/lib/server/cloud/adapters'));
    routes = cloudAccounts().map((a) => a.route);
    [dev, staging, prod] = [cloudFor('DEV'), cloudFor('STAGING'), cloudFor('PROD')];
    readers = { dev: await readerOf(DEV, 'dev'), prod: await readerOf(PROD, 'prod', 'eu-central-1') };
  });

  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
    await proxy?.close();
    vi.unstubAllEnvs();
  });

  it('builds one route per account, each acting as its role with a session name of this replica', async () => {
    expect(routes.map((r) => [r.accountId, r.roleArn, r.primaryRegion])).toEqual([
      [DEV, role(DEV, 'dev'), 'us-east-1'],
      [STAGING, REFUSED_ROLE, 'us-east-1'],
      [PROD, role(PROD, 'prod'), 'eu-central-1'],
    ]);
    const { replicaSessionName } = await import('@/lib/server/aws/assume-role');
    expect(await prod.accountIdentity().describeAccount()).toEqual({
      mode: 'aws',
      accountId: PROD,
      principalArn: `arn:aws:sts::${PROD}:assumed-role/gatehouse-prod/${replicaSessionName()}`,
      region: 'eu-central-1',
    });
    expect((await dev.accountIdentity().describeAccount()).accountId).toBe(DEV);
  });

  it("creates and attaches a grant policy through prod's route in the prod account's IAM, not in dev's", async () => {
    const user = `gatehouse-e2e-${id}`;
    await readers.prod.iam.send(new CreateUserCommand({ UserName: user }));
    cleanups.push(() => bestEffort(`delete user ${user}`, () => readers.prod.iam.send(new DeleteUserCommand({ UserName: user }))));
    const document = {
      Version: '2012-10-17' as const,
      Statement: [
        {
          Sid: 'Grant',
          Effect: 'Allow' as const,
          Action: ['secretsmanager:GetSecretValue'],
          Resource: [`arn:aws:secretsmanager:eu-central-1:${PROD}:secret:prod/x`],
        },
      ],
    };
    const name = `gatehouse-grant-e2e-${id}`;
    const arn = await prod.iam().ensurePolicy(name, document, { 'gatehouse:e2e': 'true' });
    cleanups.push(() => bestEffort(`delete ${arn}`, () => prod.iam().deletePolicy(arn)));
    expect(arn).toBe(`arn:aws:iam::${PROD}:policy/gatehouse/${name}`);
    await prod.iam().attachPolicy({ kind: 'IAM_USER', name: user, arn: `arn:aws:iam::${PROD}:user/${user}` }, arn);
    cleanups.push(() => bestEffort(`detach ${arn}`, () => prod.iam().detachPolicy({ kind: 'IAM_USER', name: user }, arn)));

    // Read back in prod with prod's own credentials: the policy and its attachment are there.
    expect((await readers.prod.iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.PolicyName).toBe(name);
    expect((await readers.prod.iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn }))).PolicyUsers?.map((u) => u.UserName)).toEqual([user]);
    // Dev's account has no such policy, neither by name in its own account nor in its listing.
    await expect(readers.dev.iam.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${DEV}:policy/gatehouse/${name}` }))).rejects.toMatchObject({
      name: expect.stringMatching(/^NoSuchEntity/),
    });
    const devPolicies = await readers.dev.iam.send(new ListPoliciesCommand({ Scope: 'Local', PathPrefix: '/gatehouse/' }));
    expect(devPolicies.Policies?.map((p) => p.PolicyName) ?? []).not.toContain(name);
    // And each route sees its own account: prod's lists it attached, dev's does not list it.
    expect((await prod.iam().listPolicies('/gatehouse/')).find((p) => p.name === name)?.attachedTo).toEqual([{ kind: 'IAM_USER', name: user }]);
    expect((await dev.iam().listPolicies('/gatehouse/')).map((p) => p.name)).not.toContain(name);

    // Give-back removes it there.
    await prod.iam().detachPolicy({ kind: 'IAM_USER', name: user }, arn);
    await prod.iam().deletePolicy(arn);
    await expect(readers.prod.iam.send(new GetPolicyCommand({ PolicyArn: arn }))).rejects.toMatchObject({ name: expect.stringMatching(/^NoSuchEntity/) });
    expect((await prod.iam().listPolicies('/gatehouse/')).map((p) => p.name)).not.toContain(name);
  });

  it("registers a secret through prod's route in the prod account and its region only", async () => {
    const name = `prod/payments/e2e-${id}`;
    const created = await prod.secrets().createSecret({ name, description: 'multi-account e2e', tags: { env: 'prod' }, idempotencyKey: `e2e-${id}` });
    cleanups.push(() =>
      bestEffort(`delete secret ${name}`, () => readers.prod.secrets.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }))),
    );
    expect(created.arn).toMatch(new RegExp(`^arn:aws:secretsmanager:eu-central-1:${PROD}:secret:prod/payments/e2e-${id}-`));
    expect((await readers.prod.secrets.send(new DescribeSecretCommand({ SecretId: name }))).ARN).toBe(created.arn);
    await expect(readers.dev.secrets.send(new DescribeSecretCommand({ SecretId: name }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await dev.secrets().describeSecret(name)).toBeNull();
    expect(await prod.secrets().describeSecret(name)).toEqual({ arn: created.arn, kmsKeyId: null });
  });

  it('reads the alarms of each account from its own route', async () => {
    const alarm = (env: string) => ({
      AlarmName: `serverless-${env}-e2e-${id}`,
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Statistic: 'Sum' as const,
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold' as const,
    });
    await readers.dev.cloudWatch.send(new PutMetricAlarmCommand(alarm('dev')));
    await readers.prod.cloudWatch.send(new PutMetricAlarmCommand(alarm('prod')));
    cleanups.push(() => bestEffort('delete dev alarm', () => readers.dev.cloudWatch.send(new DeleteAlarmsCommand({ AlarmNames: [alarm('dev').AlarmName] }))));
    cleanups.push(() =>
      bestEffort('delete prod alarm', () => readers.prod.cloudWatch.send(new DeleteAlarmsCommand({ AlarmNames: [alarm('prod').AlarmName] }))),
    );

    const ours = (alarms: { name: string; arn: string }[]) => alarms.filter((a) => a.name.endsWith(`-e2e-${id}`)).map((a) => [a.name, a.arn]);
    expect(ours(await dev.cloudWatch().describeAlarms('us-east-1'))).toEqual([
      [`serverless-dev-e2e-${id}`, `arn:aws:cloudwatch:us-east-1:${DEV}:alarm:serverless-dev-e2e-${id}`],
    ]);
    expect(ours(await prod.cloudWatch().describeAlarms('eu-central-1'))).toEqual([
      [`serverless-prod-e2e-${id}`, `arn:aws:cloudwatch:eu-central-1:${PROD}:alarm:serverless-prod-e2e-${id}`],
    ]);
    // The same region in another account is another set of alarms.
    expect(ours(await prod.cloudWatch().describeAlarms('us-east-1'))).toEqual([]);
  });

  it('answers UNAVAILABLE naming the role for an account whose role cannot be assumed, while the others keep working', async () => {
    const before = proxy.assumed.get(REFUSED_ROLE) ?? 0;
    for (const call of [
      () => staging.iam().listPolicies('/gatehouse/'),
      () => staging.secrets().describeSecret('staging/x'),
      () => staging.cloudWatch().describeAlarms('us-east-1'),
    ]) {
      const error = await errorOf(call());
      expect(error.code).toBe('UNAVAILABLE');
      expect(error.message).toBe(REFUSED_MESSAGE);
      expect(error.details).toMatchObject({ roleArn: REFUSED_ROLE, awsError: 'AccessDenied' });
    }
    // The refusal is remembered for a few seconds: three calls, one AssumeRole.
    expect((proxy.assumed.get(REFUSED_ROLE) ?? 0) - before).toBe(1);

    // The catalog's ARN check knows the environment's account without assuming its role.
    const { expectedAccountFor } = await import('@/lib/server/cloud/account');
    expect(await expectedAccountFor('STAGING')).toEqual({ partition: 'aws', accountId: STAGING, region: 'us-east-1' });
    expect(await expectedAccountFor('PROD')).toEqual({ partition: 'aws', accountId: PROD, region: 'eu-central-1' });

    expect((await dev.accountIdentity().describeAccount()).accountId).toBe(DEV);
    expect(await prod.secrets().describeSecret(`prod/none-${id}`)).toBeNull();
    await expect(dev.iam().listPolicies('/gatehouse/')).resolves.toBeInstanceOf(Array);
  });

  it('reports health per account: the broken one by name, the others ok', async () => {
    const { configuredCloudProbes } = await import('@/lib/server/portal-health');
    const { checkHealth } = await import('@/lib/portal-health/check-health');
    const report = await checkHealth(configuredCloudProbes());
    expect(Object.fromEntries(Object.entries(report.checks).map(([name, c]) => [name, c.error ?? c.status]))).toEqual({
      aws: 'ok',
      [`aws:dev (${DEV})`]: 'ok',
      [`aws:staging (${STAGING})`]: REFUSED_MESSAGE,
      [`aws:prod (${PROD})`]: 'ok',
      [`aws:payer (${PAYER})`]: 'ok',
    });
    expect(report.status).toBe('fail');
  });

  it("assumes each account's role once for all of its clients (IAM, Secrets Manager, CloudWatch, STS)", () => {
    expect(proxy.assumed.get(role(DEV, 'dev'))).toBe(1);
    expect(proxy.assumed.get(role(PROD, 'prod'))).toBe(1);
  });
});
