import 'server-only';
import { accountLabel } from '@/lib/cloud/account-label';
import { HOME_ACCOUNT_KEY } from '@/lib/cloud/accounts';
import { checkHealth, type HealthReport } from '@/lib/portal-health/check-health';
import { cloud, cloudAccounts, costCloud, type CloudAdapters } from '@/lib/server/cloud/adapters';
import { pingDatabase } from '@/lib/server/db/connection';

/** The name of an account's STS probe: `aws:<alias> (<id>)`, so one broken account shows which (health.check.awsAccount). */
function accountProbeName(route: CloudAdapters['route']): string {
  return `aws:${accountLabel(route)}`;
}

type Probed = Pick<CloudAdapters, 'mode' | 'route' | 'accountIdentity'>;

/**
 * The cloud's probes in aws mode: `aws` asks STS who the portal is with its own credentials; with
 * GATEHOUSE_ACCOUNTS, each account is asked too, through its role (docs/decisions/039), and must
 * answer as the account it is configured as. One account (nothing configured) keeps the single `aws`.
 */
export function cloudProbes(home: Probed, accounts: readonly Probed[]): Record<string, () => Promise<unknown>> {
  if (home.mode !== 'aws') return {};
  const probes: Record<string, () => Promise<unknown>> = { aws: () => home.accountIdentity().describeAccount() };
  for (const account of accounts) {
    const { route } = account;
    const name = accountProbeName(route);
    if (route.key === HOME_ACCOUNT_KEY || name in probes) continue;
    probes[name] = async () => {
      const found = await account.accountIdentity().describeAccount();
      if (route.accountId && found.accountId !== route.accountId) {
        throw new Error(`answered as account ${found.accountId} (${found.principalArn}), not ${route.accountId}`);
      }
    };
  }
  return probes;
}

/** The cloud's probes from the configuration: the portal's own account, each environment's, and the management account of costs. */
export function configuredCloudProbes(): Record<string, () => Promise<unknown>> {
  const costs = costCloud();
  const accounts = [...cloudAccounts(), ...(costs.route.source === 'management' ? costs.adapters : [])];
  return cloudProbes(cloud(), accounts);
}

/** Checks the database and, in AWS mode, that STS answers in the portal's own account and in every configured one. */
export function runHealthChecks(): Promise<HealthReport> {
  return checkHealth({ database: pingDatabase, ...configuredCloudProbes() });
}
