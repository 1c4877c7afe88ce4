import 'server-only';
import { randomUUID } from 'node:crypto';
import type { CostExplorerPort } from '@/lib/costs/ports';
import type { CostOverviewQuery } from '@/lib/costs/schemas';
import { loadCostOverview, refreshCostOverview, type CostAccount, type CostDeps, type CostSource } from '@/lib/costs/service';
import type { AccountRoute } from '@/lib/cloud/accounts';
import { environmentSlugOf } from '@/lib/environments';
import { cloud, cloudRoutes, costCloud } from '@/lib/server/cloud/adapters';
import { createCostCacheStore } from '@/lib/server/db/repositories/cost-cache';
import { env } from '@/lib/server/env';
import { singleton } from '@/lib/server/singleton';

/** Cost Explorer of the portal's own account; the AWS client always talks to us-east-1. */
export function costExplorer(): CostExplorerPort {
  return cloud().costExplorer();
}

const costAccount = (route: AccountRoute): CostAccount => ({
  // Configured accounts always have their id (only the unconfigured home account has none, and it is never asked this way).
  accountId: route.accountId ?? '',
  alias: route.alias,
  environments: route.environments.map(environmentSlugOf),
});

/**
 * Where Cost Explorer is asked (docs/decisions/039): the portal's own account; the management
 * account, split by LINKED_ACCOUNT; or each environment's account.
 */
function costSource(): { explorer: CostExplorerPort; source: CostSource } {
  const { route, adapters } = costCloud();
  if (route.source === 'management' && adapters[0]) {
    return { explorer: adapters[0].costExplorer(), source: { kind: 'management', accounts: cloudRoutes().map(costAccount) } };
  }
  if (route.source === 'each-account' && adapters[0]) {
    return {
      explorer: adapters[0].costExplorer(),
      source: { kind: 'each-account', accounts: adapters.map((a) => ({ ...costAccount(a.route), explorer: a.costExplorer() })) },
    };
  }
  return { explorer: costExplorer(), source: { kind: 'home' } };
}

// One lease-holder name and one in-flight map per process (a replica), kept across dev reloads.
const holder = singleton('costs.lease', (): { __gatehouseCosts?: { id: string; inflight: Map<string, Promise<unknown>> } } => ({}));

/** The cost use cases' ports: the database cache, the configured Cost Explorer, the wall clock. */
export function costDeps(): CostDeps {
  holder.__gatehouseCosts ??= { id: `${process.pid}-${randomUUID()}`, inflight: new Map() };
  const { explorer, source } = costSource();
  return {
    store: createCostCacheStore(),
    explorer,
    source,
    mode: explorer.mode,
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    refreshMs: env().GATEHOUSE_COST_REFRESH_HOURS * 3_600_000,
    holder: holder.__gatehouseCosts.id,
    inflight: holder.__gatehouseCosts.inflight,
  };
}

/** The overview for a validated filter. */
export function getCostOverview(query: CostOverviewQuery) {
  return loadCostOverview(costDeps(), query);
}

/** "Refresh now" (bounded to once per query per 10 minutes). */
export function refreshCosts(query: CostOverviewQuery) {
  return refreshCostOverview(costDeps(), query);
}
