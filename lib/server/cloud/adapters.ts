import 'server-only';
import path from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { IAMClient } from '@aws-sdk/client-iam';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import type { CloudWatchPort, HealthSource, SnsPort } from '@/lib/alarms/ports';
import type { CheckpointStore } from '@/lib/audit/checkpoint';
import type { AccountIdentityPort, CloudAccount } from '@/lib/cloud/account';
import { accountRoutes, costRoute, HOME_ACCOUNT_KEY, routeFor, type AccountRoute, type AccountsConfig, type CostRoute } from '@/lib/cloud/accounts';
import { SANDBOX_ACCOUNT_ID, SANDBOX_ACCOUNTS_CONFIG } from '@/lib/cloud/sandbox-ids';
import { environmentOf, environmentSlugOf, type Environment, type EnvironmentSlug } from '@/lib/environments';
import type { CostExplorerPort } from '@/lib/costs/ports';
import type { ArtifactStore, CloudFormationPort, TrafficShiftPort } from '@/lib/deployments/ports';
import type { IamPort, SecretsPort } from '@/lib/grants/ports';
import type { IamAccountPort } from '@/lib/iam-audit/ports';
import type { CloudTrailPort } from '@/lib/reports/ports';
import { createFileCheckpointStore } from '@/lib/server/audit/checkpoint-file';
import { createCloudWatchCheckpointStore } from '@/lib/server/aws/checkpoint-log';
import { awsClient, awsClientConfig, awsClientIn } from '@/lib/server/aws/clients';
import { createAwsCloudFormation } from '@/lib/server/aws/cloudformation';
import { createAwsCloudTrail } from '@/lib/server/aws/cloudtrail';
import { createAwsCloudWatch } from '@/lib/server/aws/cloudwatch';
import { costExplorerClientConfig, createAwsCostExplorer } from '@/lib/server/aws/cost-explorer';
import { createAwsIam } from '@/lib/server/aws/iam';
import { createAwsIamAccount } from '@/lib/server/aws/iam-account';
import { createS3ArtifactStore, createS3TemplateUploader } from '@/lib/server/aws/s3-template-upload';
import { createAwsSecrets } from '@/lib/server/aws/secrets';
import { createAwsSns } from '@/lib/server/aws/sns';
import { createAwsTrafficShift } from '@/lib/server/aws/traffic-shift';
import { createAwsAccountIdentity } from '@/lib/server/aws/sts';
import { createSandboxStore } from '@/lib/server/db/repositories/sandbox-objects';
import { env, type Env } from '@/lib/server/env';
import { createSandboxCloudWatch, createSandboxHealthSource, createSandboxSns } from '@/lib/server/sandbox/alarms';
import { createSandboxArtifactStore } from '@/lib/server/sandbox/artifacts';
import { withCallCounter } from '@/lib/server/sandbox/call-counter';
import { createSandboxCloudFormation, type SandboxCloudFormation } from '@/lib/server/sandbox/cloudformation';
import { createSandboxCloudTrail, type SandboxCloudTrail } from '@/lib/server/sandbox/cloudtrail';
import { createSandboxCostExplorer } from '@/lib/server/sandbox/cost-explorer';
import { createSandboxIam } from '@/lib/server/sandbox/iam';
import { createSandboxIamAccount } from '@/lib/server/sandbox/iam-account';
import { createSandboxSecrets } from '@/lib/server/sandbox/secrets';
import { createSandboxAccountIdentity } from '@/lib/server/sandbox/sts';
import { singleton } from '@/lib/server/singleton';

// The composition root of the cloud (docs/decisions/001-layout.md, 004-cloud-mode.md):
// the only module that reads GATEHOUSE_CLOUD. Every AWS-or-sandbox adapter is picked here, once;
// the rest of the server asks `cloud()` for a port and never branches on the mode itself.

export type CloudMode = Env['GATEHOUSE_CLOUD'];

/** What the adapters of one cloud are built from: its mode and the settings its adapters take. */
export type CloudSettings = Pick<
  Env,
  | 'GATEHOUSE_CLOUD'
  | 'AWS_REGION'
  | 'GATEHOUSE_SANDBOX_COUNT_CALLS'
  | 'GATEHOUSE_SANDBOX_EXTRA_ALARMS'
  | 'GATEHOUSE_SANDBOX_DEPLOY_SECONDS'
  | 'GATEHOUSE_SANDBOX_SHIFT_SECONDS_PER_MINUTE'
  | 'GATEHOUSE_DEPLOY_TEMPLATE_BUCKET'
  | 'GATEHOUSE_AUDIT_CHECKPOINTS'
  | 'GATEHOUSE_AUDIT_CHECKPOINT_LOG_GROUP'
  | 'GATEHOUSE_AUDIT_CHECKPOINT_LOG_STREAM'
  | 'GATEHOUSE_DATA_DIR'
  | 'GATEHOUSE_ACCOUNTS'
  | 'GATEHOUSE_SANDBOX_ACCOUNTS'
  | 'GATEHOUSE_ALARM_REGIONS'
>;

/** A simulated sandbox account's own tools (tampering, drift and failure simulation): sandbox mode only. */
export interface SandboxTools {
  /** The simulated account these tools act in. */
  readonly accountId: string;
  iam(): ReturnType<typeof createSandboxIam>;
  secrets(): ReturnType<typeof createSandboxSecrets>;
  cloudFormation(): SandboxCloudFormation;
  /** The simulated account's CloudTrail, where a use of a grant can be recorded (the reports' "never used"). */
  cloudTrail(): SandboxCloudTrail;
  /** Simulated health endpoints of the sandbox's environments (used when no GATEHOUSE_HEALTH_URLS are set). */
  healthSource(): HealthSource;
}

/**
 * Every cloud port of one account. Each call builds a fresh adapter (the sandbox's read the
 * database of the moment; AWS clients are shared by lib/server/aws/clients.ts), so holding the
 * set is cheap and never goes stale.
 */
export interface CloudAdapters {
  readonly mode: CloudMode;
  /** The account these adapters act in, and the environments that live there. */
  readonly route: AccountRoute;
  /** The sandbox's simulation tools, or null against AWS. */
  readonly sandbox: SandboxTools | null;
  accountIdentity(): AccountIdentityPort;
  /** The account these adapters act in, cached for five minutes per process (it is shown on every page). */
  account(): Promise<CloudAccount>;
  iam(): IamPort;
  /** Secrets Manager: metadata and registration only, never a value. */
  secrets(): SecretsPort;
  /** Account-wide IAM for the audit and the baseline (the same client as the grant engine's). */
  iamAccount(): IamAccountPort;
  /** Cost Explorer; the AWS client always talks to us-east-1. */
  costExplorer(): CostExplorerPort;
  cloudWatch(): CloudWatchPort;
  sns(): SnsPort;
  cloudFormation(): CloudFormationPort;
  /** CloudTrail's event history (LookupEvents) in the account's primary region: whether a grant was used. */
  cloudTrail(): CloudTrailPort;
  /**
   * Where releases' zips go in this account (docs/decisions/042-releases.md): its deployment bucket
   * (the route's templateBucket or GATEHOUSE_DEPLOY_TEMPLATE_BUCKET), or null in aws mode without
   * one; the simulated account's store in the sandbox.
   */
  artifacts(): ArtifactStore | null;
  /** The traffic shift of a stack's functions: CodeDeploy and Lambda in the account's primary region, or the sandbox's simulation (docs/decisions/044-traffic-shift.md). */
  trafficShift(): TrafficShiftPort;
  /** Where the audit chain's signed checkpoints are kept (GATEHOUSE_AUDIT_CHECKPOINTS: a CloudWatch Logs stream or a local file). */
  checkpointStore(): CheckpointStore;
}

/** The configured cloud mode, for the few places that show it (the header, sandbox-only pages and buttons). */
export function cloudMode(): CloudMode {
  return env().GATEHOUSE_CLOUD;
}

/**
 * The adapters of the portal's own account: its own credentials and AWS_REGION. The audit
 * checkpoints and the portal's identity live here; work on an environment asks `cloudFor`.
 */
export function cloud(): CloudAdapters {
  const s = env();
  return createCloudAdapters(s, homeRoute(s));
}

/**
 * The accounts the portal works in, each once, in environment order (docs/decisions/039, 040):
 * GATEHOUSE_ACCOUNTS when set (in the sandbox: the accounts it simulates); unset, in aws mode the
 * portal's own account holds every environment, and the sandbox simulates one account per
 * environment (GATEHOUSE_SANDBOX_ACCOUNTS=three, the default) or that single account (single).
 */
export function cloudRoutes(s: CloudSettings = env()): AccountRoute[] {
  return accountRoutes(accountsConfigOf(s), { primaryRegion: s.AWS_REGION, alarmRegions: s.GATEHOUSE_ALARM_REGIONS });
}

function accountsConfigOf(s: CloudSettings): AccountsConfig | null {
  if (s.GATEHOUSE_ACCOUNTS) return s.GATEHOUSE_ACCOUNTS;
  return s.GATEHOUSE_CLOUD === 'sandbox' && s.GATEHOUSE_SANDBOX_ACCOUNTS === 'three' ? SANDBOX_ACCOUNTS_CONFIG : null;
}

/** The adapters of the account an environment lives in: grants, registration, its stack, its alarms. */
export function cloudFor(environment: Environment): CloudAdapters {
  const s = env();
  return createCloudAdapters(s, routeFor(cloudRoutes(s), environment));
}

/** The adapters of every account, each once (reconcile, the IAM audit, alarms, health). */
export function cloudAccounts(): CloudAdapters[] {
  const s = env();
  return cloudRoutes(s).map((route) => createCloudAdapters(s, route));
}

/** Where Cost Explorer is asked: the portal's own account, the management account, or each account. */
export function costCloud(): { route: CostRoute; adapters: CloudAdapters[] } {
  const s = env();
  const routes = cloudRoutes(s);
  const route = costRoute(s.GATEHOUSE_ACCOUNTS ?? null, routes);
  if (route.source === 'management' && route.account) return { route, adapters: [createCloudAdapters(s, route.account)] };
  if (route.source === 'each-account') return { route, adapters: routes.map((r) => createCloudAdapters(s, r)) };
  return { route, adapters: [cloud()] };
}

/** One simulated sandbox account: the environments it holds and its adapters. */
export interface SandboxAccount {
  accountId: string;
  alias: string | null;
  /** Where its stacks, secrets and alarms are. */
  region: string;
  environments: readonly Environment[];
  adapters: SandboxAdapters;
}

/** A sandbox account's adapters: its simulation tools are always there. */
type SandboxAdapters = CloudAdapters & { readonly sandbox: SandboxTools };

/**
 * Sandbox mode: every simulated account, each once (docs/decisions/040) — each route's, and the
 * portal's own (111122223333) when no route is in it. Empty in aws mode.
 */
export function sandboxAccounts(s: CloudSettings = env()): SandboxAccount[] {
  if (s.GATEHOUSE_CLOUD !== 'sandbox') return [];
  const routes = cloudRoutes(s);
  const own = routes.some((r) => sandboxAccountIdOf(r) === SANDBOX_ACCOUNT_ID) ? [] : [homeRoute(s)];
  return [...routes, ...own].map((route) => ({
    accountId: sandboxAccountIdOf(route),
    alias: route.alias,
    region: route.primaryRegion,
    environments: route.environments,
    adapters: sandboxAdapters(s, route, checkpointStoreOf(s)),
  }));
}

/** The portal's own account: its own credentials, AWS_REGION, every environment unless they are configured elsewhere. */
function homeRoute(s: CloudSettings): AccountRoute {
  const [only, ...others] = cloudRoutes(s);
  if (only && !others.length && only.key === HOME_ACCOUNT_KEY) return only;
  return {
    key: HOME_ACCOUNT_KEY,
    accountId: null,
    alias: null,
    primaryRegion: s.AWS_REGION,
    regions: [s.AWS_REGION],
    roleArn: null,
    externalId: null,
    templateBucket: null,
    environments: [],
  };
}

const ACCOUNT_TTL_MS = 5 * 60_000;
const accountCache = singleton('cloud.account', () => new Map<string, { at: number; value: Promise<CloudAccount> }>());

/** Who the portal is in an account, cached per account for five minutes; a failure is not cached. */
function cachedAccount(key: string, identity: () => AccountIdentityPort): Promise<CloudAccount> {
  const cached = accountCache.get(key);
  if (cached && Date.now() - cached.at < ACCOUNT_TTL_MS) return cached.value;
  const entry = { at: Date.now(), value: identity().describeAccount() };
  accountCache.set(key, entry);
  entry.value.catch(() => {
    if (accountCache.get(key) === entry) accountCache.delete(key);
  });
  return entry.value;
}

/** Picks every adapter of one account from the settings. */
export function createCloudAdapters(s: CloudSettings, route: AccountRoute): CloudAdapters {
  const checkpointStore = checkpointStoreOf(s);
  return s.GATEHOUSE_CLOUD === 'aws' ? awsAdapters(s, route, checkpointStore) : sandboxAdapters(s, route, checkpointStore);
}

function checkpointStoreOf(s: CloudSettings): () => CheckpointStore {
  return (): CheckpointStore =>
    s.GATEHOUSE_AUDIT_CHECKPOINTS === 'cloudwatch-logs'
      ? createCloudWatchCheckpointStore(
          awsClient('cloudwatch-logs', (config) => new CloudWatchLogsClient(config)),
          {
            logGroupName: s.GATEHOUSE_AUDIT_CHECKPOINT_LOG_GROUP,
            logStreamName: s.GATEHOUSE_AUDIT_CHECKPOINT_LOG_STREAM,
          },
        )
      : createFileCheckpointStore(path.join(s.GATEHOUSE_DATA_DIR, 'audit-checkpoints.log'));
}

function awsAdapters(s: CloudSettings, route: AccountRoute, checkpointStore: () => CheckpointStore): CloudAdapters {
  const iamClient = () => awsClientIn(route, 'iam', (config) => new IAMClient(config));
  const accountIdentity = () =>
    createAwsAccountIdentity(
      awsClientIn(route, 'sts', (config) => new STSClient(config)),
      route.primaryRegion,
    );
  const account = () => cachedAccount(route.key, accountIdentity);
  const accountId = async () => route.accountId ?? (await account()).accountId;
  return {
    mode: 'aws',
    route,
    sandbox: null,
    accountIdentity,
    account,
    iam: () => createAwsIam(iamClient(), accountId),
    secrets: () => createAwsSecrets(awsClientIn(route, 'secretsmanager', (config) => new SecretsManagerClient(config))),
    iamAccount: () => createAwsIamAccount(iamClient(), accountId),
    costExplorer: () => createAwsCostExplorer(awsClientIn(route, 'cost-explorer', (config) => new CostExplorerClient(costExplorerClientConfig(config)))),
    cloudWatch: () => createAwsCloudWatch((region) => awsClientIn(route, `cloudwatch:${region}`, (config) => new CloudWatchClient({ ...config, region }))),
    sns: () => createAwsSns((region) => awsClientIn(route, `sns:${region}`, (config) => new SNSClient({ ...config, region }))),
    cloudFormation: () => {
      const client = awsClientIn(route, 'cloudformation', (config) => new CloudFormationClient(config));
      // ExecuteChangeSet gets one SDK attempt: the service reconciles an unclear answer itself (decision 027).
      const executeClient = awsClientIn(route, 'cloudformation-execute', (config) => new CloudFormationClient({ ...config, maxAttempts: 1 }));
      const bucket = route.templateBucket ?? s.GATEHOUSE_DEPLOY_TEMPLATE_BUCKET;
      return createAwsCloudFormation(client, {
        executeClient,
        uploadTemplate: bucket
          ? createS3TemplateUploader({
              bucket,
              region: route.primaryRegion,
              endpoint: awsClientConfig().endpoint,
              credentials: () => client.config.credentials(),
              sha256: client.config.sha256,
            })
          : undefined,
      });
    },
    cloudTrail: () => createAwsCloudTrail(awsClientIn(route, 'cloudtrail', (config) => new CloudTrailClient(config))),
    artifacts: () => {
      const bucket = route.templateBucket ?? s.GATEHOUSE_DEPLOY_TEMPLATE_BUCKET;
      if (!bucket) return null;
      const client = awsClientIn(route, 'cloudformation', (config) => new CloudFormationClient(config));
      return createS3ArtifactStore({
        bucket,
        region: route.primaryRegion,
        endpoint: awsClientConfig().endpoint,
        credentials: () => client.config.credentials(),
        sha256: client.config.sha256,
        // A zip is larger than a template: give it time on a slow link.
        timeoutMs: 60_000,
      });
    },
    trafficShift: () =>
      createAwsTrafficShift({
        codeDeploy: awsClientIn(route, 'codedeploy', (config) => new CodeDeployClient(config)),
        lambda: awsClientIn(route, 'lambda', (config) => new LambdaClient(config)),
        cloudWatch: awsClientIn(route, `cloudwatch:${route.primaryRegion}`, (config) => new CloudWatchClient({ ...config, region: route.primaryRegion })),
      }),
    checkpointStore,
  };
}

/** The simulated account a route's sandbox adapters act in: its id, or the original sandbox account for the portal's own. */
export function sandboxAccountIdOf(route: Pick<AccountRoute, 'accountId'>): string {
  return route.accountId ?? SANDBOX_ACCOUNT_ID;
}

/**
 * The environments whose stacks a simulated account holds (its alarms, topics and stacks): those
 * of every route that lands in it, so the portal's own account is dev's when it is 111122223333.
 */
export function sandboxEnvironmentsOf(s: CloudSettings, accountId: string): EnvironmentSlug[] {
  return cloudRoutes(s)
    .filter((r) => sandboxAccountIdOf(r) === accountId)
    .flatMap((r) => r.environments.map(environmentSlugOf));
}

/**
 * Each route's sandbox adapters act in a simulated account of their own (docs/decisions/040):
 * its objects in an account-scoped store, its ARNs and STS identity in its id, its environments'
 * alarms and stacks only. Nothing is assumed: the sandbox has no credentials to switch.
 */
function sandboxAdapters(s: CloudSettings, route: AccountRoute, checkpointStore: () => CheckpointStore): SandboxAdapters {
  const accountId = sandboxAccountIdOf(route);
  const region = route.primaryRegion;
  const store = () => createSandboxStore(undefined, accountId);
  const accountIdentity = () => createSandboxAccountIdentity(store(), region);
  const alarmOptions = () => ({ store: store(), environments: sandboxEnvironmentsOf(s, accountId), region, extra: s.GATEHOUSE_SANDBOX_EXTRA_ALARMS });
  const tools: SandboxTools = {
    accountId,
    iam: () => createSandboxIam(store()),
    secrets: () => createSandboxSecrets(store(), () => new Date(), region),
    cloudFormation: () =>
      createSandboxCloudFormation(store(), {
        region,
        durationMs: (s.GATEHOUSE_SANDBOX_DEPLOY_SECONDS ?? 30) * 1000,
        shiftMinuteMs: (s.GATEHOUSE_SANDBOX_SHIFT_SECONDS_PER_MINUTE ?? 2) * 1000,
      }),
    cloudTrail: () => createSandboxCloudTrail(store()),
    // Health endpoints are public: every environment's, each simulated from its own account's alarms.
    healthSource: () =>
      createSandboxHealthSource({
        accountOf: (slug) => {
          const home = routeFor(cloudRoutes(s), environmentOf(slug));
          return { store: createSandboxStore(undefined, sandboxAccountIdOf(home)), region: home.primaryRegion };
        },
        extra: s.GATEHOUSE_SANDBOX_EXTRA_ALARMS,
      }),
  };
  return {
    mode: 'sandbox',
    route,
    sandbox: tools,
    accountIdentity,
    account: () => cachedAccount(route.key, accountIdentity),
    iam: () => {
      const iam = createSandboxIam(store());
      // Counting is a test aid (bench/scale-out.ts proves each grant is applied and removed once):
      // every account's calls are counted in one place, the original account's store; the
      // counted targets are ARNs, which name their account.
      return s.GATEHOUSE_SANDBOX_COUNT_CALLS ? withCallCounter(iam, createSandboxStore()) : iam;
    },
    secrets: tools.secrets,
    iamAccount: () => createSandboxIamAccount(store()),
    costExplorer: () => createSandboxCostExplorer(),
    cloudWatch: () => createSandboxCloudWatch(alarmOptions()),
    sns: () => createSandboxSns(store()),
    cloudFormation: tools.cloudFormation,
    cloudTrail: tools.cloudTrail,
    artifacts: () => createSandboxArtifactStore(store()),
    trafficShift: () => {
      const cfn = tools.cloudFormation();
      return { readTrafficShifts: (stackName, since) => cfn.trafficShifts(stackName, since) };
    },
    checkpointStore,
  };
}
