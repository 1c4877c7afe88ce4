import 'server-only';
import { randomUUID } from 'node:crypto';
import type { CostExplorerPort } from '@/lib/costs/ports';
import type { CostOverviewQuery } from '@/lib/costs/schemas';
import { loadCostOverview, refreshCostOverview, type CostDeps } from '@/lib/costs/service';
import { cloud } from '@/lib/server/cloud/adapters';
import { createCostCacheStore } from '@/lib/server/db/repositories/cost-cache';
import { env } from '@/lib/server/env';
import { singleton } from '@/lib/server/singleton';

/** Cost Explorer of the configured cloud mode; the AWS client always talks to us-east-1. */
export function costExplorer(): CostExplorerPort {
  return cloud().costExplorer();
}

// One lease-holder name and one in-flight map per process (a replica), kept across dev reloads.
const holder = singleton('costs.lease', (): { __gatehouseCosts?: { id: string; inflight: Map<string, Promise<unknown>> } } => ({}));

/** The cost use cases' ports: the database cache, the configured Cost Explorer, the wall clock. */
export function costDeps(): CostDeps {
  holder.__gatehouseCosts ??= { id: `${process.pid}-${randomUUID()}`, inflight: new Map() };
  const explorer = costExplorer();
  return {
    store: createCostCacheStore(),
    explorer,
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
