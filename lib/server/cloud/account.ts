import 'server-only';
import type { Environment } from '@/lib/environments';
import type { CloudAccount } from '@/lib/cloud/account';
import type { ExpectedAccount } from '@/lib/control-plane/arn-rules';
import { cloud, cloudFor } from '@/lib/server/cloud/adapters';

/** The account, cached for five minutes per process (it is shown on every page). */
export function currentAccount(): Promise<CloudAccount> {
  return cloud().account();
}

/**
 * The AWS account and region an environment's resources live in (docs/decisions/032, 039): the
 * configured account of the environment (or the portal's own), in its primary region.
 */
export async function expectedAccountFor(environment: Environment): Promise<ExpectedAccount> {
  const adapters = cloudFor(environment);
  const account = await adapters.account();
  const partition = /^arn:([^:]+):/.exec(account.principalArn)?.[1] ?? 'aws';
  return { partition, accountId: adapters.route.accountId ?? account.accountId, region: adapters.route.primaryRegion };
}
