import 'server-only';
import type { Environment } from '@/lib/environments';
import type { CloudAccount } from '@/lib/cloud/account';
import type { AccountRef } from '@/lib/cloud/accounts';
import { ENVIRONMENTS } from '@/lib/environments';
import type { ExpectedAccount } from '@/lib/control-plane/arn-rules';
import { cloud, cloudFor, cloudRoutes } from '@/lib/server/cloud/adapters';

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
  const { route } = adapters;
  const region = route.primaryRegion;
  // A configured account is known without asking STS: checking an ARN against it, or approving a
  // request there, must not need its role to be assumable at that moment.
  if (route.accountId) return { partition: partitionOf(route.roleArn, region), accountId: route.accountId, region };
  const account = await adapters.account();
  const partition = /^arn:([^:]+):/.exec(account.principalArn)?.[1] ?? 'aws';
  return { partition, accountId: route.accountId ?? account.accountId, region };
}

/** The partition of a role ARN, or else of a region (aws-us-gov, aws-cn, aws). */
function partitionOf(roleArn: string | null, region: string): string {
  const fromArn = roleArn ? /^arn:([^:]+):/.exec(roleArn)?.[1] : undefined;
  if (fromArn) return fromArn;
  return region.startsWith('us-gov-') ? 'aws-us-gov' : region.startsWith('cn-') ? 'aws-cn' : 'aws';
}

/**
 * The account of each environment, for pages that label resources with it. An unconfigured
 * account's id comes from STS (cached); if that fails the id is left out rather than failing the page.
 */
export async function accountsByEnvironment(): Promise<Record<Environment, AccountRef>> {
  const routes = cloudRoutes();
  const home = routes.some((r) => !r.accountId) ? await currentAccount().catch(() => null) : null;
  const entries = ENVIRONMENTS.map((environment) => {
    const route = routes.find((r) => r.environments.includes(environment));
    return [environment, { accountId: route?.accountId ?? home?.accountId ?? null, alias: route?.alias ?? null }] as const;
  });
  return Object.fromEntries(entries) as Record<Environment, AccountRef>;
}

/** An account the portal works in, as the admin page lists it. */
export interface PortalAccount extends AccountRef {
  accountId: string;
  environments: readonly Environment[];
}

/** Every account the portal works in, in environment order (an unconfigured one's id from STS: UNAVAILABLE if that fails). */
export async function portalAccounts(): Promise<PortalAccount[]> {
  return Promise.all(
    cloudRoutes().map(async (route) => ({
      accountId: route.accountId ?? (await currentAccount()).accountId,
      alias: route.alias,
      environments: route.environments,
    })),
  );
}

/** The ids of every account the portal works in. */
export async function portalAccountIds(): Promise<string[]> {
  return [...new Set((await portalAccounts()).map((a) => a.accountId))];
}
