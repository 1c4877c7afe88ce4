import { auditEntry, type RequestOrigin } from '@/lib/audit/model';
import { AppError } from '@/lib/errors';
import type { Actor } from '@/lib/identity/actor';
import { GRANT_POLICY_PATH } from '@/lib/grants/policy';
import type { IamPort, ReconcileStore } from '@/lib/grants/ports';
import type { Principal } from '@/lib/grants/principals';
import { planReconciliation, principalsToCheck, type Finding } from '@/lib/grants/reconcile';

export interface ReconcileDeps {
  iam: IamPort;
  store: ReconcileStore;
  now: () => Date;
}

/** One comparison of AWS with the live grants. */
export interface ReconcileScan {
  scannedAt: Date;
  policyCount: number;
  findings: Finding[];
}

/** Lists Gatehouse's policies under /gatehouse/ and compares them with the grants (docs/decisions/008-grant-engine.md). */
export async function scanReconciliation(deps: ReconcileDeps): Promise<ReconcileScan> {
  const scannedAt = deps.now();
  const policies = await deps.iam.listPolicies(GRANT_POLICY_PATH);
  // Grants are read after the policies: a grant applied meanwhile shows as MISSING at worst, and
  // restoring an ACTIVE grant's own policy is idempotent.
  const grants = await deps.store.listGrants(policies.map((p) => p.name));
  // Only the principals of grants not attached as they should be are looked up, one at a time.
  const gone: Principal[] = [];
  for (const principal of principalsToCheck(policies, grants)) if (!(await deps.iam.principalExists(principal))) gone.push(principal);
  return { scannedAt, policyCount: policies.length, findings: planReconciliation(policies, grants, gone) };
}

const ACTIONS = {
  ORPHAN: 'reconcile.orphan_removed',
  DRIFT_DOCUMENT: 'reconcile.drift_restored',
  DRIFT_ATTACHMENT: 'reconcile.drift_restored',
  MISSING: 'reconcile.missing_restored',
  PRINCIPAL_GONE: 'reconcile.principal_gone_removed',
} as const;

/**
 * Applies a finding's fix through IAM, then audits it. Every IAM step is idempotent, so a failure
 * half-way leaves a state the next scan finds again. Takes findings of a fresh server-side scan
 * only: the document it restores is the one the database stores, never one from a client.
 */
export async function fixFinding(finding: Finding, actor: Actor, origin: RequestOrigin | null, deps: ReconcileDeps): Promise<void> {
  const fix = finding.fix;
  let after: unknown;
  if (fix.kind === 'remove') {
    for (const principal of fix.detachFrom) await deps.iam.detachPolicy(principal, fix.policyArn);
    await deps.iam.deletePolicy(fix.policyArn);
    after = null;
  } else {
    // The grant may have ended since the scan; restoring would give back access that was taken away.
    const status = await deps.store.grantStatus(fix.grantId);
    if (status !== 'ACTIVE') throw new AppError('CONFLICT', 'The grant is no longer active; scan again.');
    const arn = await deps.iam.ensurePolicy(fix.policyName, fix.document, { 'gatehouse:grant': fix.grantId });
    // Attach before detaching the others: the grant's principal never loses the policy on the way.
    await deps.iam.attachPolicy(fix.attachTo, arn);
    for (const other of fix.detachFrom) await deps.iam.detachPolicy(other, arn);
    after = { policyArn: arn, document: fix.document, attachedTo: [{ kind: fix.attachTo.kind, name: fix.attachTo.name }] };
  }
  const before = { kind: finding.kind, grantId: finding.grantId, policyArn: finding.policyArn, document: finding.actual, attachedTo: finding.attachedTo };
  await deps.store.appendAudit(auditEntry(actor, ACTIONS[finding.kind], { type: 'policy', id: finding.policyName }, { before, after }, deps.now()), origin);
}

/** Scans again and fixes the finding with this id; NOT_FOUND when it is gone (fixed meanwhile). */
export async function fixFindingById(id: string, actor: Actor, origin: RequestOrigin | null, deps: ReconcileDeps): Promise<{ fixed: number }> {
  const finding = (await scanReconciliation(deps)).findings.find((f) => f.id === id);
  if (!finding) throw new AppError('NOT_FOUND', 'This finding is gone; it may have been fixed already.');
  await fixFinding(finding, actor, origin, deps);
  return { fixed: 1 };
}

/** Scans again and fixes every finding; one failure does not stop the others (they are reported). */
export async function fixAllFindings(actor: Actor, origin: RequestOrigin | null, deps: ReconcileDeps): Promise<{ fixed: number; failed: number }> {
  const { findings } = await scanReconciliation(deps);
  let fixed = 0;
  let failed = 0;
  for (const f of findings) {
    try {
      await fixFinding(f, actor, origin, deps);
      fixed++;
    } catch (e) {
      failed++;
      console.warn('[reconcile] fix failed; the next scan shows it again', f.id, e instanceof Error ? e.message : e);
    }
  }
  return { fixed, failed };
}
