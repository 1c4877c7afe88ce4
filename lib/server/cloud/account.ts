import 'server-only';
import { STSClient } from '@aws-sdk/client-sts';
import type { Environment } from '@/lib/environments';
import type { AccountIdentityPort, CloudAccount } from '@/lib/cloud/account';
import type { ExpectedAccount } from '@/lib/control-plane/arn-rules';
import { awsClient } from '@/lib/server/aws/clients';
import { createAwsAccountIdentity } from '@/lib/server/aws/sts';
import { createSandboxStore } from '@/lib/server/db/repositories/sandbox-objects';
import { env } from '@/lib/server/env';
import { createSandboxAccountIdentity } from '@/lib/server/sandbox/sts';
import { singleton } from '@/lib/server/singleton';

/** The account-identity port of the configured cloud mode (GATEHOUSE_CLOUD). */
export function accountIdentity(): AccountIdentityPort {
  const e = env();
  return e.GATEHOUSE_CLOUD === 'aws'
    ? createAwsAccountIdentity(awsClient('sts', (config) => new STSClient(config)), e.AWS_REGION)
    : createSandboxAccountIdentity(createSandboxStore(), e.AWS_REGION);
}

const TTL_MS = 5 * 60_000;
const holder = singleton('cloud.account', (): { __gatehouseAccount?: { at: number; value: Promise<CloudAccount> } } => ({}));

/** The account, cached for five minutes per process (it is shown on every page). */
export function currentAccount(): Promise<CloudAccount> {
  const cached = holder.__gatehouseAccount;
  if (cached && Date.now() - cached.at < TTL_MS) return cached.value;
  const value = accountIdentity().describeAccount();
  holder.__gatehouseAccount = { at: Date.now(), value };
  // A failure is not cached: the next page asks again.
  value.catch(() => {
    if (holder.__gatehouseAccount?.value === value) holder.__gatehouseAccount = undefined;
  });
  return value;
}

/**
 * The AWS account and region an environment's resources live in (docs/decisions/032). Today every
 * environment is the portal's one account (STS GetCallerIdentity, or the sandbox's) in AWS_REGION;
 * a per-environment account map is a later change of this one function.
 */
export async function expectedAccountFor(_environment: Environment): Promise<ExpectedAccount> {
  const account = await currentAccount();
  const partition = /^arn:([^:]+):/.exec(account.principalArn)?.[1] ?? 'aws';
  return { partition, accountId: account.accountId, region: env().AWS_REGION };
}
