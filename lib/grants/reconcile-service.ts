import { auditEntry, type RequestOrigin } from '@/lib/audit/model';
import type { AccountRef } from '@/lib/cloud/accounts';
import type { Environment } from '@/lib/environments';
import { AppError } from '@/lib/errors';
import type { Actor } from '@/lib/identity/actor';
import { GRANT_POLICY_PATH } from '@/lib/grants/policy';
import type { IamPort, ReconcileStore } from '@/lib/grants/ports';
import type { Principal } from '@/lib/grants/principals';
import { planReconciliation, principalsToCheck, type Finding } from '@/lib/grants/reconcile';

/** One AWS account the reconciler compares (docs/decisions/039): its IAM and the environments that live there. */
export interface ReconcileAccount {
  /** Names the account in finding ids and fixes (`home` when nothing is configured). */
  key: string;
  /** How pages label it. */
  account: AccountRef;
  environments: readonly Environment[];
  iam: IamPort;
}

export interface ReconcileDeps {
  /** Every account, each once. */
  accounts: readonly ReconcileAccount[];
  store: ReconcileStore;
  now: () => Date;
}

/** A finding in one account: its fix acts there. */
export interface AccountFinding extends Finding {
  accountKey: string;
  account: AccountRef;
}

/** How the scan of one account went: its policies counted, or why it could not be read. */
export interface AccountScan {
  key: string;
  account: AccountRef;
  environments: readonly Environment[];
  policyCount: number;
  /** Null when scanned; otherwise what went wrong (its findings are then unknown, the other accounts are still scanned). */
  error: string | null;
}

/** One comparison of AWS with the live grants, account by account. */
export interface ReconcileScan {
  scannedAt: Date;
  /** Policies under /gatehouse/ in every account that answered. */
  policyCount: number;
  findings: AccountFinding[];
  accounts: AccountScan[];
}

/**
 * Lists Gatehouse's policies under /gatehouse/ in each account and compares them with the grants
 * of the environments that live there (docs/decisions/008-grant-engine.md, 039). A policy in the
 * wrong account is an orphan there. An account that cannot be read (its role not assumable) is
 * reported and the others are still compared.
 */
export async function scanReconciliation(deps: ReconcileDeps): Promise<ReconcileScan> {
  const scannedAt = deps.now();
  const scan: ReconcileScan = { scannedAt, policyCount: 0, findings: [], accounts: [] };
  // With one account the ids stay `KIND:policy`; with several, the same policy name can be in two
  // accounts (a prod grant's policy in dev's too), so the id names the account.
  const several = deps.accounts.length > 1;
  for (const a of deps.accounts) {
    const summary: AccountScan = { key: a.key, account: a.account, environments: a.environments, policyCount: 0, error: null };
    scan.accounts.push(summary);
    let findings: Finding[];
    try {
      findings = await scanAccount(deps.store, a, summary);
    } catch (e) {
      // An account whose role cannot be assumed answers UNAVAILABLE; with several accounts any
      // failure of one is its own, and the others are still compared. One account fails as before.
      const unavailable = e instanceof AppError && e.code === 'UNAVAILABLE';
      if (!unavailable && !several) throw e;
      summary.error = (e instanceof Error ? e.message : String(e)).slice(0, 500);
      continue;
    }
    scan.policyCount += summary.policyCount;
    for (const f of findings) scan.findings.push({ ...f, id: several ? `${f.id}@${a.key}` : f.id, accountKey: a.key, account: a.account });
  }
  return scan;
}

async function scanAccount(store: ReconcileStore, a: ReconcileAccount, summary: AccountScan): Promise<Finding[]> {
  const policies = await a.iam.listPolicies(GRANT_POLICY_PATH);
  summary.policyCount = policies.length;
  // Grants are read after the policies: a grant applied meanwhile shows as MISSING at worst, and
  // restoring an ACTIVE grant's own policy is idempotent.
  const grants = await store.listGrants(policies.map((p) => p.name));
  const local = grants.filter((g) => a.environments.includes(g.environment));
  // Only the principals of grants not attached as they should be are looked up, one at a time.
  const gone: Principal[] = [];
  for (const principal of principalsToCheck(policies, local)) if (!(await a.iam.principalExists(principal))) gone.push(principal);
  return planReconciliation(policies, grants, gone, a.environments);
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
export async function fixFinding(finding: AccountFinding, actor: Actor, origin: RequestOrigin | null, deps: ReconcileDeps): Promise<void> {
  const account = deps.accounts.find((a) => a.key === finding.accountKey);
  if (!account) throw new AppError('NOT_FOUND', 'This finding is in an account the portal no longer works in; scan again.');
  const iam = account.iam;
  const fix = finding.fix;
  let after: unknown;
  if (fix.kind === 'remove') {
    for (const principal of fix.detachFrom) await iam.detachPolicy(principal, fix.policyArn);
    await iam.deletePolicy(fix.policyArn);
    after = null;
  } else {
    // The grant may have ended since the scan; restoring would give back access that was taken away.
    const status = await deps.store.grantStatus(fix.grantId);
    if (status !== 'ACTIVE') throw new AppError('CONFLICT', 'The grant is no longer active; scan again.');
    const arn = await iam.ensurePolicy(fix.policyName, fix.document, { 'gatehouse:grant': fix.grantId });
    // Attach before detaching the others: the grant's principal never loses the policy on the way.
    await iam.attachPolicy(fix.attachTo, arn);
    for (const other of fix.detachFrom) await iam.detachPolicy(other, arn);
    after = { policyArn: arn, document: fix.document, attachedTo: [{ kind: fix.attachTo.kind, name: fix.attachTo.name }] };
  }
  const before = {
    kind: finding.kind,
    grantId: finding.grantId,
    policyArn: finding.policyArn,
    document: finding.actual,
    attachedTo: finding.attachedTo,
    account: finding.account,
  };
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
