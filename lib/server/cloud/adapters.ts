import 'server-only';
import path from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { IAMClient } from '@aws-sdk/client-iam';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import type { CloudWatchPort, HealthSource, SnsPort } from '@/lib/alarms/ports';
import type { CheckpointStore } from '@/lib/audit/checkpoint';
import type { AccountIdentityPort, CloudAccount } from '@/lib/cloud/account';
import type { CostExplorerPort } from '@/lib/costs/ports';
import type { CloudFormationPort } from '@/lib/deployments/ports';
import type { IamPort, SecretsPort } from '@/lib/grants/ports';
import type { IamAccountPort } from '@/lib/iam-audit/ports';
import { createFileCheckpointStore } from '@/lib/server/audit/checkpoint-file';
import { createCloudWatchCheckpointStore } from '@/lib/server/aws/checkpoint-log';
import { awsClient, awsClientConfig } from '@/lib/server/aws/clients';
import { createAwsCloudFormation } from '@/lib/server/aws/cloudformation';
import { createAwsCloudWatch } from '@/lib/server/aws/cloudwatch';
import { costExplorerClientConfig, createAwsCostExplorer } from '@/lib/server/aws/cost-explorer';
import { createAwsIam } from '@/lib/server/aws/iam';
import { createAwsIamAccount } from '@/lib/server/aws/iam-account';
import { createS3TemplateUploader } from '@/lib/server/aws/s3-template-upload';
import { createAwsSecrets } from '@/lib/server/aws/secrets';
import { createAwsSns } from '@/lib/server/aws/sns';
import { createAwsAccountIdentity } from '@/lib/server/aws/sts';
import { createSandboxStore } from '@/lib/server/db/repositories/sandbox-objects';
import { env, type Env } from '@/lib/server/env';
import { createSandboxCloudWatch, createSandboxHealthSource, createSandboxSns } from '@/lib/server/sandbox/alarms';
import { withCallCounter } from '@/lib/server/sandbox/call-counter';
import { createSandboxCloudFormation, type SandboxCloudFormation } from '@/lib/server/sandbox/cloudformation';
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
  | 'GATEHOUSE_DEPLOY_TEMPLATE_BUCKET'
  | 'GATEHOUSE_AUDIT_CHECKPOINTS'
  | 'GATEHOUSE_AUDIT_CHECKPOINT_LOG_GROUP'
  | 'GATEHOUSE_AUDIT_CHECKPOINT_LOG_STREAM'
  | 'GATEHOUSE_DATA_DIR'
>;

/** The local sandbox account's own tools (tampering, drift and failure simulation): sandbox mode only. */
export interface SandboxTools {
  iam(): ReturnType<typeof createSandboxIam>;
  secrets(): ReturnType<typeof createSandboxSecrets>;
  cloudFormation(): SandboxCloudFormation;
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
  /** Where the audit chain's signed checkpoints are kept (GATEHOUSE_AUDIT_CHECKPOINTS: a CloudWatch Logs stream or a local file). */
  checkpointStore(): CheckpointStore;
}

/** The configured cloud mode, for the few places that show it (the header, sandbox-only pages and buttons). */
export function cloudMode(): CloudMode {
  return env().GATEHOUSE_CLOUD;
}

/**
 * The adapters of the portal's cloud. Today there is one account per installation; the
 * multi-account work builds one set per account with `createCloudAdapters` (settings per account)
 * and looks it up by environment here, so callers keep asking this module and nothing else.
 */
export function cloud(): CloudAdapters {
  return createCloudAdapters(env());
}

const ACCOUNT_TTL_MS = 5 * 60_000;
const accountCache = singleton('cloud.account', (): { __gatehouseAccount?: { at: number; value: Promise<CloudAccount> } } => ({}));

function cachedAccount(identity: () => AccountIdentityPort): Promise<CloudAccount> {
  const cached = accountCache.__gatehouseAccount;
  if (cached && Date.now() - cached.at < ACCOUNT_TTL_MS) return cached.value;
  const value = identity().describeAccount();
  accountCache.__gatehouseAccount = { at: Date.now(), value };
  // A failure is not cached: the next page asks again.
  value.catch(() => {
    if (accountCache.__gatehouseAccount?.value === value) accountCache.__gatehouseAccount = undefined;
  });
  return value;
}

/** Picks every adapter of a cloud from its settings. */
export function createCloudAdapters(s: CloudSettings): CloudAdapters {
  const checkpointStore = (): CheckpointStore =>
    s.GATEHOUSE_AUDIT_CHECKPOINTS === 'cloudwatch-logs'
      ? createCloudWatchCheckpointStore(
          awsClient('cloudwatch-logs', (config) => new CloudWatchLogsClient(config)),
          {
            logGroupName: s.GATEHOUSE_AUDIT_CHECKPOINT_LOG_GROUP,
            logStreamName: s.GATEHOUSE_AUDIT_CHECKPOINT_LOG_STREAM,
          },
        )
      : createFileCheckpointStore(path.join(s.GATEHOUSE_DATA_DIR, 'audit-checkpoints.log'));
  return s.GATEHOUSE_CLOUD === 'aws' ? awsAdapters(s, checkpointStore) : sandboxAdapters(s, checkpointStore);
}

function awsAdapters(s: CloudSettings, checkpointStore: () => CheckpointStore): CloudAdapters {
  const iamClient = () => awsClient('iam', (config) => new IAMClient(config));
  const accountIdentity = () =>
    createAwsAccountIdentity(
      awsClient('sts', (config) => new STSClient(config)),
      s.AWS_REGION,
    );
  const account = () => cachedAccount(accountIdentity);
  const accountId = async () => (await account()).accountId;
  return {
    mode: 'aws',
    sandbox: null,
    accountIdentity,
    account,
    iam: () => createAwsIam(iamClient(), accountId),
    secrets: () => createAwsSecrets(awsClient('secretsmanager', (config) => new SecretsManagerClient(config))),
    iamAccount: () => createAwsIamAccount(iamClient(), accountId),
    costExplorer: () => createAwsCostExplorer(awsClient('cost-explorer', (config) => new CostExplorerClient(costExplorerClientConfig(config)))),
    cloudWatch: () => createAwsCloudWatch((region) => awsClient(`cloudwatch:${region}`, (config) => new CloudWatchClient({ ...config, region }))),
    sns: () => createAwsSns((region) => awsClient(`sns:${region}`, (config) => new SNSClient({ ...config, region }))),
    cloudFormation: () => {
      const client = awsClient('cloudformation', (config) => new CloudFormationClient(config));
      // ExecuteChangeSet gets one SDK attempt: the service reconciles an unclear answer itself (decision 027).
      const executeClient = awsClient('cloudformation-execute', (config) => new CloudFormationClient({ ...config, maxAttempts: 1 }));
      const bucket = s.GATEHOUSE_DEPLOY_TEMPLATE_BUCKET;
      return createAwsCloudFormation(client, {
        executeClient,
        uploadTemplate: bucket
          ? createS3TemplateUploader({
              bucket,
              region: s.AWS_REGION,
              endpoint: awsClientConfig().endpoint,
              credentials: () => client.config.credentials(),
              sha256: client.config.sha256,
            })
          : undefined,
      });
    },
    checkpointStore,
  };
}

function sandboxAdapters(s: CloudSettings, checkpointStore: () => CheckpointStore): CloudAdapters {
  const alarmOptions = () => ({ store: createSandboxStore(), region: s.AWS_REGION, extra: s.GATEHOUSE_SANDBOX_EXTRA_ALARMS });
  const accountIdentity = () => createSandboxAccountIdentity(createSandboxStore(), s.AWS_REGION);
  const tools: SandboxTools = {
    iam: () => createSandboxIam(createSandboxStore()),
    secrets: () => createSandboxSecrets(createSandboxStore(), () => new Date(), s.AWS_REGION),
    cloudFormation: () =>
      createSandboxCloudFormation(createSandboxStore(), { region: s.AWS_REGION, durationMs: (s.GATEHOUSE_SANDBOX_DEPLOY_SECONDS ?? 30) * 1000 }),
    healthSource: () => createSandboxHealthSource(alarmOptions()),
  };
  return {
    mode: 'sandbox',
    sandbox: tools,
    accountIdentity,
    account: () => cachedAccount(accountIdentity),
    iam: () => {
      const store = createSandboxStore();
      // Counting is a test aid (bench/scale-out.ts proves each grant is applied and removed once).
      return s.GATEHOUSE_SANDBOX_COUNT_CALLS ? withCallCounter(createSandboxIam(store), store) : createSandboxIam(store);
    },
    secrets: tools.secrets,
    iamAccount: () => createSandboxIamAccount(createSandboxStore()),
    costExplorer: () => createSandboxCostExplorer(),
    cloudWatch: () => createSandboxCloudWatch(alarmOptions()),
    sns: () => createSandboxSns(createSandboxStore()),
    cloudFormation: tools.cloudFormation,
    checkpointStore,
  };
}
