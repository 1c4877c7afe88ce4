import 'server-only';
import type { Environment } from '@/lib/environments';
import type { CloudAccount } from '@/lib/cloud/account';
import type { ExpectedAccount } from '@/lib/control-plane/arn-rules';
import { cloud } from '@/lib/server/cloud/adapters';
import { env } from '@/lib/server/env';

/** The account, cached for five minutes per process (it is shown on every page). */
export function currentAccount(): Promise<CloudAccount> {
  return cloud().account();
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
