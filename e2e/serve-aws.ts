// Starts the production build in aws mode (GATEHOUSE_CLOUD=aws) against moto for the aws-mode e2e
// suite (playwright.aws.config.ts): moto as the seeded account, a counting proxy in front of it
// (bench/aws-fault-proxy.ts) that answers Cost Explorer's GetCostAndUsage with canned data, the
// emulator prepared with what an operator's account would hold, then `next start` on a fresh
// embedded database. Run with `node --import tsx e2e/serve-aws.ts <port>`.
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import fs from 'node:fs';
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateRoleCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AwsFaultProxy, type CannedAnswer } from '../bench/aws-fault-proxy';
import { startMoto } from '../scripts/moto.mjs';
import { E2E_AUTH_SECRET } from './fixtures/constants';
import {
  ACCOUNT_ID,
  ACCOUNTS_CONFIG,
  HOME_ACCOUNT_ID,
  ALARMS,
  CHECKPOINT_KEY,
  CHECKPOINT_LOG_GROUP,
  CREDENTIALS,
  EXTERNAL_ID,
  E2E_AWS_DATA_DIR,
  PATH_ROLE,
  PATH_USER,
  PROD_ACCOUNT_ID,
  PROD_SECRET_NAME,
  PROD_SECRET_VALUE,
  REGION,
  STAGING_ROLE_ARN,
  SEEDED_IAM_USERS,
  TEMPLATE_BUCKET,
  motoClientConfig,
  writeEndpoints,
} from './aws/emulator';

const port = process.argv[2] ?? '3210';
/** Stops moto (and the proxy) however the start ends. */
let stopEmulator = () => {};

async function main() {
  const moto = await startMoto();
  if (!moto.url) {
    console.error(`[serve-aws] ${moto.skipped}`);
    process.exit(1);
  }
  stopEmulator = moto.stop;
  const motoPort = Number(new URL(moto.url).port);
  // moto reads a path-style S3 TemplateURL only when its host is `localhost` (not 127.0.0.1).
  const motoUrl = `http://localhost:${motoPort}`;

  const proxy = new AwsFaultProxy(0, { host: '127.0.0.1', port: motoPort });
  proxy.answer = (action, body) => (action === 'GetCostAndUsage' ? cannedCostAndUsage(body) : action === 'AssumeRole' ? refuseStagingRole(body) : null);
  await proxy.listen();
  const proxyUrl = `http://localhost:${proxy.boundPort}`;

  // The proxy's counters, for the specs (GET → { calls }).
  const control = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ calls: Object.fromEntries(proxy.calls) }));
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  const controlPort = (control.address() as { port: number }).port;

  fs.rmSync(E2E_AWS_DATA_DIR, { recursive: true, force: true });
  fs.mkdirSync(E2E_AWS_DATA_DIR, { recursive: true });
  writeEndpoints({ moto: motoUrl, proxy: proxyUrl, calls: `http://127.0.0.1:${controlPort}/` });
  await prepareEmulator(motoUrl);
  recordRelease(motoUrl);

  fs.mkdirSync('.test-results', { recursive: true });
  const log = fs.createWriteStream('.test-results/e2e-aws-server.log');
  const child = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', port, '-H', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      GATEHOUSE_DATA_DIR: E2E_AWS_DATA_DIR,
      GATEHOUSE_AUTH: 'local',
      GATEHOUSE_ALLOW_LOCAL_SIGNIN: 'true',
      GATEHOUSE_CLOUD: 'aws',
      AWS_REGION: REGION,
      AWS_ENDPOINT_URL: proxyUrl,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      GATEHOUSE_DEPLOY_TEMPLATE_BUCKET: TEMPLATE_BUCKET,
      // One account per environment (docs/decisions/039): dev is the portal's own, prod and staging
      // are reached through their roles (staging's refuses, see refuseStagingRole).
      GATEHOUSE_ACCOUNTS: JSON.stringify(ACCOUNTS_CONFIG),
      GATEHOUSE_GRANT_JOB_SECONDS: '2',
      // Audit checkpoints go to a CloudWatch Logs stream in the emulator (the aws-mode default),
      // signed with a key from configuration, as production requires (docs/decisions/030).
      GATEHOUSE_AUDIT_CHECKPOINT_KEY: CHECKPOINT_KEY,
      GATEHOUSE_AUDIT_CHECKPOINT_LOG_GROUP: CHECKPOINT_LOG_GROUP,
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      NEXTAUTH_SECRET: E2E_AUTH_SECRET,
    },
  });
  child.stdout.on('data', (d) => (process.stdout.write(d), log.write(d)));
  child.stderr.on('data', (d) => (process.stderr.write(d), log.write(d)));
  const stopAll = () => {
    stopEmulator();
    control.close();
    void proxy.close();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => (child.kill(signal), stopAll()));
  child.on('exit', (code) => (stopAll(), log.end(() => process.exit(code ?? 0))));
}

/**
 * What the operator's accounts hold before the portal starts: in the portal's own account the
 * checkpoint log group and the template bucket; in dev's and prod's the users the seeded principals
 * name, the role the portal assumes there; in dev's the principals with paths, in prod's the ledger
 * secret; each environment's alarms in its account. Staging's holds an alarm the portal cannot reach.
 */
async function prepareEmulator(motoUrl: string) {
  const home = { region: REGION, endpoint: motoUrl, credentials: CREDENTIALS };
  // The log group is provisioned with the stack (its retention is the operator's); the portal makes its stream.
  await new CloudWatchLogsClient(home).send(new CreateLogGroupCommand({ logGroupName: CHECKPOINT_LOG_GROUP }));
  const portalTrust = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${HOME_ACCOUNT_ID}:root` },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } },
      },
    ],
  };
  const iam = new IAMClient(motoClientConfig(ACCOUNT_ID));
  await iam.send(new CreateRoleCommand({ RoleName: 'gatehouse-dev', AssumeRolePolicyDocument: JSON.stringify(portalTrust) }));
  for (const UserName of SEEDED_IAM_USERS) await iam.send(new CreateUserCommand({ UserName }));
  await iam.send(new CreateUserCommand({ UserName: PATH_USER.name, Path: PATH_USER.path }));
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: 'sts:AssumeRole' }] };
  await iam.send(new CreateRoleCommand({ RoleName: PATH_ROLE.name, Path: PATH_ROLE.path, AssumeRolePolicyDocument: JSON.stringify(trust) }));

  // Prod's account: the users the seeded principals name there, and the role the portal assumes
  // (infra/account-role.yaml in a real account: trusts the portal's role, asks for the external id).
  const prod = motoClientConfig(PROD_ACCOUNT_ID);
  const prodIam = new IAMClient(prod);
  for (const UserName of SEEDED_IAM_USERS) await prodIam.send(new CreateUserCommand({ UserName }));
  await prodIam.send(new CreateRoleCommand({ RoleName: 'gatehouse-prod', AssumeRolePolicyDocument: JSON.stringify(portalTrust) }));
  const secrets = new SecretsManagerClient(prod);
  await secrets.send(new CreateSecretCommand({ Name: PROD_SECRET_NAME, SecretString: PROD_SECRET_VALUE, Description: 'Ledger API key (aws-mode e2e)' }));

  for (const alarm of ALARMS) {
    const cloudwatch = new CloudWatchClient(motoClientConfig(alarm.accountId));
    await cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: alarm.name,
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    );
    await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: alarm.name, StateValue: alarm.state, StateReason: 'set by e2e/serve-aws.ts' }));
  }

  // S3 CreateBucket is a plain PUT on the bucket's path (moto does not check signatures).
  const bucket = await fetch(`${motoUrl}/${TEMPLATE_BUCKET}`, { method: 'PUT' });
  if (!bucket.ok) throw new Error(`[serve-aws] S3 CreateBucket ${TEMPLATE_BUCKET}: HTTP ${bucket.status}`);
}

/**
 * Plans deploy a release (docs/decisions/042-releases.md): record one as an operator would, with
 * `npm run release`, its zips in the portal's own account's bucket (dev's, moto's default account),
 * straight to moto so that the proxy's counters see only the portal.
 */
function recordRelease(motoUrl: string) {
  const result = spawnSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/release.mts'], {
    stdio: 'inherit',
    env: {
      ...process.env,
      GATEHOUSE_DATA_DIR: E2E_AWS_DATA_DIR,
      GATEHOUSE_CLOUD: 'aws',
      AWS_REGION: REGION,
      // moto serves path-style S3 URLs only on the host "localhost".
      AWS_ENDPOINT_URL: motoUrl.replace('//127.0.0.1', '//localhost'),
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      GATEHOUSE_DEPLOY_TEMPLATE_BUCKET: TEMPLATE_BUCKET,
      GATEHOUSE_RELEASE_BY: 'e2e/serve-aws.ts',
    },
  });
  if (result.status !== 0) throw new Error(`[serve-aws] npm run release failed (exit ${result.status})`);
}

/** Staging's role refuses the portal (a trust policy without it, say): STS answers AccessDenied. */
function refuseStagingRole(body: Buffer): CannedAnswer | null {
  if (new URLSearchParams(body.toString('utf8')).get('RoleArn') !== STAGING_ROLE_ARN) return null;
  return {
    status: 403,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': `refused-${Date.now()}` },
    body: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::${ACCOUNT_ID}:user/gatehouse is not authorized to perform: sts:AssumeRole on resource: ${STAGING_ROLE_ARN}</Message></Error><RequestId>refused</RequestId></ErrorResponse>`,
  };
}

/** Canned Cost Explorer figures (moto returns none): per period, two groups of each dimension or tag asked for (two services, two linked accounts, …), fixed amounts. */
export function cannedCostAndUsage(body: Buffer): CannedAnswer {
  const input = JSON.parse(body.toString('utf8')) as {
    TimePeriod: { Start: string; End: string };
    Granularity: 'DAILY' | 'MONTHLY';
    Metrics: string[];
    GroupBy?: { Type: string; Key: string }[];
  };
  const keysFor = (g: { Type: string; Key: string }) =>
    g.Type === 'DIMENSION' && g.Key === 'LINKED_ACCOUNT'
      ? [ACCOUNT_ID, PROD_ACCOUNT_ID]
      : g.Type === 'TAG'
        ? g.Key === 'env'
          ? ['env$prod', 'env$dev']
          : [`${g.Key}$payments`, `${g.Key}$`]
        : g.Key === 'SERVICE'
          ? ['AWS Lambda', 'Amazon Relational Database Service']
          : ['us-east-1'];
  const groupKeys = (input.GroupBy ?? []).reduce<string[][]>((acc, g) => acc.flatMap((a) => keysFor(g).map((k) => [...a, k])), [[]]);
  const results = [];
  for (let start = new Date(`${input.TimePeriod.Start}T00:00:00Z`); start.toISOString().slice(0, 10) < input.TimePeriod.End;) {
    const next = new Date(start);
    if (input.Granularity === 'MONTHLY') next.setUTCMonth(next.getUTCMonth() + 1, 1);
    else next.setUTCDate(next.getUTCDate() + 1);
    const end = next.toISOString().slice(0, 10) < input.TimePeriod.End ? next.toISOString().slice(0, 10) : input.TimePeriod.End;
    const perGroup = input.Granularity === 'MONTHLY' ? '300.00' : '10.00';
    results.push({
      TimePeriod: { Start: start.toISOString().slice(0, 10), End: end },
      Total: {},
      Groups: groupKeys.map((Keys) => ({ Keys, Metrics: Object.fromEntries(input.Metrics.map((m) => [m, { Amount: perGroup, Unit: 'USD' }])) })),
      Estimated: false,
    });
    start = next;
  }
  return {
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `canned-${Date.now()}` },
    body: JSON.stringify({ ResultsByTime: results, DimensionValueAttributes: [], GroupDefinitions: input.GroupBy ?? [] }),
  };
}

main().catch((e: unknown) => {
  console.error('[serve-aws] could not start:', e);
  stopEmulator();
  process.exit(1);
});
