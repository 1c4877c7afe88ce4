/**
 * What the aws-mode e2e server (e2e/serve-aws.ts) and its specs share: where the emulator is, the
 * identities it is prepared with, and SDK clients that talk to it directly (a spec reads back what
 * the portal did from the emulator, not from the portal).
 */
import fs from 'node:fs';
import path from 'node:path';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

/**
 * The portal's own account: moto's default, where the portal's credentials are (its identity, the
 * audit checkpoints). Each environment is another account, reached by assuming its role there
 * (docs/decisions/039): moto keeps each account's state apart (only without MOTO_ACCOUNT_ID, which
 * breaks its lookup of assumed-role keys).
 */
export const HOME_ACCOUNT_ID = '123456789012';
/** Dev's account: the seeded one (prisma/seed.ts, lib/cloud/sandbox-ids.ts). */
export const ACCOUNT_ID = '111122223333';
export const PROD_ACCOUNT_ID = '444455556666';
/** Staging's role cannot be assumed (the proxy answers AccessDenied): the rest must keep working. */
export const STAGING_ACCOUNT_ID = '555566667777';
export const EXTERNAL_ID = 'gatehouse-e2e-external-id';
export const DEV_ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/gatehouse-dev`;
export const PROD_ROLE_ARN = `arn:aws:iam::${PROD_ACCOUNT_ID}:role/gatehouse-prod`;
export const STAGING_ROLE_ARN = `arn:aws:iam::${STAGING_ACCOUNT_ID}:role/gatehouse-staging`;

/** GATEHOUSE_ACCOUNTS of the aws-mode e2e server. */
export const ACCOUNTS_CONFIG = {
  dev: { accountId: ACCOUNT_ID, alias: 'e2e-dev', roleArn: DEV_ROLE_ARN, externalId: EXTERNAL_ID },
  staging: { accountId: STAGING_ACCOUNT_ID, alias: 'e2e-staging', roleArn: STAGING_ROLE_ARN, externalId: EXTERNAL_ID },
  prod: { accountId: PROD_ACCOUNT_ID, alias: 'e2e-prod', roleArn: PROD_ROLE_ARN, externalId: EXTERNAL_ID },
  // The portal's own account is the payer here: Cost Explorer splits by LINKED_ACCOUNT.
  costs: { source: 'management', accountId: HOME_ACCOUNT_ID },
};
export const REGION = 'us-east-1';
export const TEMPLATE_BUCKET = 'gatehouse-e2e-templates';
export const CREDENTIALS = { accessKeyId: 'moto-e2e-only', secretAccessKey: 'moto-e2e-only' };
/** Signs the aws-mode server's audit checkpoints; test-only (the secret scan looks for it). */
export const CHECKPOINT_KEY = 'e2e-aws-only-checkpoint-key-0123456789abcdef';
export const CHECKPOINT_LOG_GROUP = '/gatehouse/audit-checkpoints';
export const E2E_AWS_DATA_DIR = path.resolve('.data/e2e-aws');
const ENDPOINTS_FILE = path.join(E2E_AWS_DATA_DIR, 'endpoints.json');

/** The IAM users of the seeded users' principal mappings (the part of their email before the @). */
export const SEEDED_IAM_USERS = ['minji.kim', 'jaewon.choi', 'daniel.okafor', 'seoyeon.park', 'lucas.meyer', 'priya.raman', 'hyunwoo.lee'];

/** Principals with IAM paths the reconcile spec maps users to: a grant on them is live access. */
export const PATH_USER = { path: '/engineers/', name: 'jaewon.path', arn: `arn:aws:iam::${ACCOUNT_ID}:user/engineers/jaewon.path` };
export const PATH_ROLE = { path: '/people/ops/', name: 'priya.oncall', arn: `arn:aws:iam::${ACCOUNT_ID}:role/people/ops/priya.oncall` };

/** A prod secret in the emulator that the access spec puts in the catalog and requests. */
export const PROD_SECRET_NAME = 'prod/payments/aws-e2e-ledger-key';
/** Its value: scripts/test.mjs scans the server's log and database for it after the suite. */
export const PROD_SECRET_VALUE = 'e2e-only-ledger-value-never-shown';

/**
 * Alarms of the serverless stack's naming (serverless-<env>-…), each put into its environment's
 * account. Staging's cannot be read (its role cannot be assumed): the overview shows the others.
 */
export const ALARMS = [
  { name: 'serverless-prod-api-5xx', state: 'ALARM', accountId: PROD_ACCOUNT_ID },
  { name: 'serverless-prod-api-latency-p99', state: 'OK', accountId: PROD_ACCOUNT_ID },
  { name: 'serverless-staging-api-5xx', state: 'OK', accountId: STAGING_ACCOUNT_ID },
  { name: 'serverless-dev-queue-depth', state: 'INSUFFICIENT_DATA', accountId: ACCOUNT_ID },
] as const;

/** The alarms the portal can read: those of the accounts whose role it can assume. */
export const READABLE_ALARMS = ALARMS.filter((a) => a.accountId !== STAGING_ACCOUNT_ID);

export interface Endpoints {
  /** moto itself, on the `localhost` host (S3 path-style URLs need it). */
  moto: string;
  /** The counting proxy in front of moto that the portal talks to (AWS_ENDPOINT_URL). */
  proxy: string;
  /** GET: { calls: { [action]: count } } of the proxy. */
  calls: string;
}

export function writeEndpoints(endpoints: Endpoints): void {
  fs.writeFileSync(ENDPOINTS_FILE, JSON.stringify(endpoints));
}

/** The endpoints of the running e2e server's emulator (written by e2e/serve-aws.ts at start). */
export function endpoints(): Endpoints {
  return JSON.parse(fs.readFileSync(ENDPOINTS_FILE, 'utf8')) as Endpoints;
}

/**
 * Settings for an SDK client that talks to moto directly (not through the counting proxy), in an
 * account (default: dev's): the portal's own with its credentials, another as a role assumed there
 * (moto answers AssumeRole for any role and keeps each account's state apart).
 */
export function motoClientConfig(accountId: string = ACCOUNT_ID) {
  const endpoint = endpoints().moto;
  if (accountId === HOME_ACCOUNT_ID) return { region: REGION, endpoint, credentials: CREDENTIALS };
  return { region: REGION, endpoint, credentials: () => assumedCredentials(endpoint, accountId) };
}

async function assumedCredentials(endpoint: string, accountId: string) {
  const sts = new STSClient({ region: REGION, endpoint, credentials: CREDENTIALS });
  const out = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/e2e-reader`, RoleSessionName: 'e2e-spec', ExternalId: EXTERNAL_ID }),
  );
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken!, expiration: c.Expiration };
}

/** Calls the portal made to the emulator so far, by action. */
export async function emulatorCalls(): Promise<Record<string, number>> {
  const res = await fetch(endpoints().calls);
  return ((await res.json()) as { calls: Record<string, number> }).calls;
}
