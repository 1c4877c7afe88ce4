import 'server-only';
import type { RequestOrigin } from '@/lib/audit/model';
import * as service from '@/lib/grants/reconcile-service';
import type { AccountFinding, ReconcileAccount, ReconcileDeps, ReconcileScan } from '@/lib/grants/reconcile-service';
import type { ReconcileStore } from '@/lib/grants/ports';
import type { Actor } from '@/lib/identity/actor';
import { currentAccount } from '@/lib/server/cloud/account';
import { cloudAccounts } from '@/lib/server/cloud/adapters';
import { createReconcileStore } from '@/lib/server/db/repositories/reconcile';

export type { ReconcileDeps, ReconcileScan } from '@/lib/grants/reconcile-service';
export type { ReconcileStore } from '@/lib/grants/ports';

/**
 * The reconciler's ports: IAM of every account the portal works in (docs/decisions/039), each with
 * the environments that live there, the database and the wall clock. An unconfigured account's id
 * comes from STS for its label; if that fails it is left out rather than failing the scan. `store`
 * is for tests that run the real cloud wiring on a test database.
 */
export async function reconcileDeps(store: ReconcileStore = createReconcileStore()): Promise<ReconcileDeps> {
  const adapters = cloudAccounts();
  const home = adapters.some((a) => !a.route.accountId) ? await currentAccount().catch(() => null) : null;
  const accounts = adapters.map((a): ReconcileAccount => ({
    key: a.route.key,
    account: { accountId: a.route.accountId ?? home?.accountId ?? null, alias: a.route.alias },
    environments: a.route.environments,
    iam: a.iam(),
  }));
  return { accounts, store, now: () => new Date() };
}

/** Compares AWS with the live grants (lib/grants/reconcile-service.ts), account by account, through the configured ports. */
export async function scanReconciliation(deps?: ReconcileDeps): Promise<ReconcileScan> {
  return service.scanReconciliation(deps ?? (await reconcileDeps()));
}

/** Applies one finding's fix, in the finding's account, through the configured ports. */
export async function fixFinding(finding: AccountFinding, actor: Actor, origin: RequestOrigin | null, deps?: ReconcileDeps): Promise<void> {
  return service.fixFinding(finding, actor, origin, deps ?? (await reconcileDeps()));
}

/** Scans again and fixes the finding with this id, through the configured ports. */
export async function fixFindingById(id: string, actor: Actor, origin: RequestOrigin | null, deps?: ReconcileDeps): Promise<{ fixed: number }> {
  return service.fixFindingById(id, actor, origin, deps ?? (await reconcileDeps()));
}

/** Scans again and fixes every finding, through the configured ports. */
export async function fixAllFindings(actor: Actor, origin: RequestOrigin | null, deps?: ReconcileDeps): Promise<{ fixed: number; failed: number }> {
  return service.fixAllFindings(actor, origin, deps ?? (await reconcileDeps()));
}
