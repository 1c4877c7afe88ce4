import 'server-only';
import type { RequestOrigin } from '@/lib/audit/model';
import type { Finding } from '@/lib/grants/reconcile';
import * as service from '@/lib/grants/reconcile-service';
import type { ReconcileDeps, ReconcileScan } from '@/lib/grants/reconcile-service';
import type { Actor } from '@/lib/identity/actor';
import { createReconcileStore } from '@/lib/server/db/repositories/reconcile';
import { iamPort } from '@/lib/server/grants';

export type { ReconcileDeps, ReconcileScan } from '@/lib/grants/reconcile-service';
export type { ReconcileStore } from '@/lib/grants/ports';

/** The reconciler's ports, wired to the configured IAM, the database and the wall clock. */
export function reconcileDeps(): ReconcileDeps {
  return { iam: iamPort(), store: createReconcileStore(), now: () => new Date() };
}

/** Compares AWS with the live grants (lib/grants/reconcile-service.ts) through the configured ports. */
export function scanReconciliation(deps: ReconcileDeps = reconcileDeps()): Promise<ReconcileScan> {
  return service.scanReconciliation(deps);
}

/** Applies one finding's fix through the configured ports. */
export function fixFinding(finding: Finding, actor: Actor, origin: RequestOrigin | null, deps: ReconcileDeps = reconcileDeps()): Promise<void> {
  return service.fixFinding(finding, actor, origin, deps);
}

/** Scans again and fixes the finding with this id, through the configured ports. */
export function fixFindingById(id: string, actor: Actor, origin: RequestOrigin | null, deps: ReconcileDeps = reconcileDeps()): Promise<{ fixed: number }> {
  return service.fixFindingById(id, actor, origin, deps);
}

/** Scans again and fixes every finding, through the configured ports. */
export function fixAllFindings(actor: Actor, origin: RequestOrigin | null, deps: ReconcileDeps = reconcileDeps()): Promise<{ fixed: number; failed: number }> {
  return service.fixAllFindings(actor, origin, deps);
}
