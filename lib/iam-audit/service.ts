import type { AuditAction } from '@/lib/audit/actions';
import { auditEntry, type AuditEntry, type RequestOrigin } from '@/lib/audit/model';
import { AppError } from '@/lib/errors';
import type { PolicyDocument } from '@/lib/grants/policy';
import type { Actor } from '@/lib/identity/actor';
import {
  APPLICABLE_BASELINE_STATUSES,
  assertMayApply,
  assertMayDecide,
  BASELINE_GROUP_NAME,
  BASELINE_PATH,
  BASELINE_POLICY_NAME,
  generateBaselinePolicy,
  planBaseline,
  type BaselinePlan,
} from '@/lib/iam-audit/baseline';
import type { BaselinePlanRecord, IamAccountPort, IamAuditStore, ScannedAccount, ScanRecord } from '@/lib/iam-audit/ports';
import { auditAccount, SEVERITIES, sortFindings, type AuditSettings, type Finding } from '@/lib/iam-audit/rules';
import type { AccountRef } from '@/lib/cloud/accounts';

/** One account the audit scans (docs/decisions/039): its IAM and how pages name it. */
export interface IamAuditAccount {
  account: AccountRef;
  iam: IamAccountPort;
}

/** The use cases' ports and settings. */
export interface IamAuditDeps {
  /** The portal's own account: where the secrets baseline is applied (docs/decisions/017, 039). */
  iam: IamAccountPort;
  /** The accounts the audit scans, each separately (the portal's own alone when nothing is configured). */
  accounts: readonly IamAuditAccount[];
  store: IamAuditStore;
  settings: AuditSettings;
  now: () => Date;
}

// A worker holds a plan this long while it talks to IAM; a crashed apply is free again after it.
const APPLY_LEASE_MS = 60_000;

function describe(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).slice(0, 500);
}

function entry(actor: Actor, now: Date, action: AuditAction, targetType: string, targetId: string, before: unknown, after: unknown): AuditEntry {
  return auditEntry(actor, action, { type: targetType, id: targetId }, { before, after }, now);
}

type AccountScan = { scanned: ScannedAccount; findings: Finding[]; failure: unknown };

/** One account's findings, each labelled with the account; a failure is kept for that account alone. */
async function scanAccount(a: IamAuditAccount, settings: AuditSettings, at: Date): Promise<AccountScan> {
  try {
    const [details, id] = await Promise.all([
      a.iam.getAccountAuthorizationDetails(),
      // The id of an unconfigured (home) account is learned from the account itself.
      a.account.accountId ? Promise.resolve(a.account.accountId) : a.iam.describeAccount().then((d) => d.accountId),
    ]);
    const account: AccountRef = { accountId: id, alias: a.account.alias };
    const result = auditAccount(details, settings, at);
    return {
      scanned: { ...account, principalCount: result.principalCount, policyCount: result.policyCount, error: null },
      findings: result.findings.map((f) => ({ ...f, account })),
      failure: null,
    };
  } catch (e) {
    return { scanned: { ...a.account, principalCount: 0, policyCount: 0, error: describe(e) }, findings: [], failure: e ?? new Error('failed') };
  }
}

/**
 * Reads each account's IAM, finds what is over-broad, and stores the scan (audited as
 * iam.audit.scanned). An account that cannot be read is recorded as failed and the others are
 * still scanned; only when every account fails is nothing stored (the first error is thrown).
 */
export async function runScan(deps: IamAuditDeps, actor: Actor, origin: RequestOrigin | null): Promise<ScanRecord> {
  const startedAt = deps.now();
  const scans = await Promise.all(deps.accounts.map((a) => scanAccount(a, deps.settings, startedAt)));
  const failed = scans.filter((s) => s.failure !== null);
  if (failed.length === scans.length) throw failed[0]!.failure;
  const findings = sortFindings(scans.flatMap((s) => s.findings));
  const principalCount = scans.reduce((n, s) => n + s.scanned.principalCount, 0);
  const policyCount = scans.reduce((n, s) => n + s.scanned.policyCount, 0);
  const finishedAt = deps.now();
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length]));
  return deps.store.saveScan(
    {
      startedAt,
      finishedAt,
      startedById: actor.id,
      startedByName: actor.name,
      principalCount,
      policyCount,
      settings: deps.settings,
      findings,
      accounts: scans.map((s) => s.scanned),
    },
    (id) =>
      entry(actor, finishedAt, 'iam.audit.scanned', 'iam_audit_scan', id, null, {
        principalCount,
        policyCount,
        findingCount: findings.length,
        bySeverity,
        ...(failed.length ? { failedAccounts: failed.map((s) => ({ accountId: s.scanned.accountId, alias: s.scanned.alias, error: s.scanned.error })) } : {}),
      }),
    origin,
  );
}

/** The baseline as it would be planned now: its document, the group's members and the add / remove lists. */
export async function previewBaseline(
  deps: Pick<IamAuditDeps, 'iam' | 'store'>,
): Promise<{ document: PolicyDocument; members: string[] | null; plan: BaselinePlan }> {
  const account = await deps.iam.describeAccount();
  // Users' principals in this account (a user has one per account: docs/decisions/039).
  const [principals, members] = await Promise.all([deps.store.listPortalPrincipals(account.accountId), deps.iam.listGroupMembers(BASELINE_GROUP_NAME)]);
  return { document: generateBaselinePolicy(account.partition, account.accountId), members, plan: planBaseline(principals, members) };
}

/**
 * Proposes the baseline as it stands now (computed here, never taken from a client). Any plan still
 * open is superseded: the newest proposal is the one to decide.
 */
export async function proposeBaseline(deps: IamAuditDeps, actor: Actor, origin: RequestOrigin | null): Promise<BaselinePlanRecord> {
  if (!actor.roles.includes('SECURITY') && !actor.roles.includes('ADMIN'))
    throw new AppError('FORBIDDEN', 'Only the security team or an admin can propose the baseline.');
  const { document, plan } = await previewBaseline(deps);
  const now = deps.now();
  return deps.store.transaction(async (tx) => {
    const superseded = await tx.supersedeOpenPlans(now);
    const record = await tx.insertPlan({
      groupName: BASELINE_GROUP_NAME,
      policyName: BASELINE_POLICY_NAME,
      document,
      plan,
      authorId: actor.id,
      authorName: actor.name,
      createdAt: now,
    });
    for (const id of superseded)
      await tx.appendAudit(entry(actor, now, 'iam.baseline.superseded', 'iam_baseline_plan', id, null, { supersededBy: record.id }), origin);
    await tx.appendAudit(
      entry(actor, now, 'iam.baseline.proposed', 'iam_baseline_plan', record.id, null, { group: record.groupName, document, ...plan }),
      origin,
    );
    return record;
  });
}

/** Approves or rejects a proposed plan; the author cannot approve their own (assertMayDecide). */
export async function decideBaseline(
  deps: IamAuditDeps,
  actor: Actor,
  input: { planId: string; decision: 'APPROVE' | 'REJECT'; comment: string },
  origin: RequestOrigin | null,
): Promise<BaselinePlanRecord> {
  const plan = await deps.store.findPlan(input.planId);
  if (!plan) throw new AppError('NOT_FOUND', 'No such baseline plan.');
  assertMayDecide(plan, actor, input.decision);
  const now = deps.now();
  const status = input.decision === 'APPROVE' ? 'APPROVED' : 'REJECTED';
  const comment = input.comment.trim() || null;
  const done = await deps.store.transaction(async (tx) => {
    // The decider's standing now, from the database, not the session's (as for control-plane changes, decision 032).
    const roles = await tx.currentRoles(actor.id);
    if (!roles) throw new AppError('FORBIDDEN', 'Your account is no longer active.');
    assertMayDecide(plan, { ...actor, roles }, input.decision);
    if (!(await tx.updatePlan(plan.id, plan.version, { status, decidedById: actor.id, decidedByName: actor.name, decidedAt: now, decisionComment: comment })))
      return false;
    await tx.appendAudit(
      entry(
        actor,
        now,
        status === 'APPROVED' ? 'iam.baseline.approved' : 'iam.baseline.rejected',
        'iam_baseline_plan',
        plan.id,
        { status: plan.status },
        { status, comment },
      ),
      origin,
    );
    return true;
  });
  if (!done) throw new AppError('CONFLICT', 'The plan changed meanwhile; reload and try again.');
  return (await deps.store.findPlan(plan.id))!;
}

/**
 * Applies an approved plan in IAM: the group, its policy (created or brought up to date, attached)
 * and the planned additions and removals, every step idempotent. A failure is recorded
 * (APPLY_FAILED, with the error) and applying again retries the whole plan.
 */
export async function applyBaseline(deps: IamAuditDeps, actor: Actor, planId: string, origin: RequestOrigin | null): Promise<BaselinePlanRecord> {
  const found = await deps.store.findPlan(planId);
  if (!found) throw new AppError('NOT_FOUND', 'No such baseline plan.');
  assertMayApply(found, actor);
  const now = deps.now();
  const plan = await deps.store.leasePlan(planId, APPLICABLE_BASELINE_STATUSES, now, APPLY_LEASE_MS);
  if (!plan) throw new AppError('CONFLICT', 'This plan is being applied right now, or it changed meanwhile; reload.');
  const attempts = plan.attempts + 1;
  let policyArn: string;
  try {
    await deps.iam.ensureGroup(plan.groupName, BASELINE_PATH);
    policyArn = await deps.iam.ensureGroupPolicy(plan.groupName, plan.policyName, BASELINE_PATH, plan.document);
    for (const m of plan.plan.add) await deps.iam.addUserToGroup(plan.groupName, m.iamUser);
    for (const m of plan.plan.remove) await deps.iam.removeUserFromGroup(plan.groupName, m.iamUser);
  } catch (e) {
    const error = describe(e);
    await deps.store.transaction(async (tx) => {
      if (!(await tx.updatePlan(plan.id, plan.version, { status: 'APPLY_FAILED', attempts, lastError: error, leaseUntil: null }))) return;
      await tx.appendAudit(
        entry(
          actor,
          deps.now(),
          'iam.baseline.apply_failed',
          'iam_baseline_plan',
          plan.id,
          { status: plan.status },
          { status: 'APPLY_FAILED', attempts, error },
        ),
        origin,
      );
    });
    throw new AppError('UNAVAILABLE', `Applying the baseline failed: ${error} Every step is idempotent: apply again to retry.`);
  }
  const appliedAt = deps.now();
  await deps.store.transaction(async (tx) => {
    if (
      !(await tx.updatePlan(plan.id, plan.version, {
        status: 'APPLIED',
        appliedById: actor.id,
        appliedByName: actor.name,
        appliedAt,
        attempts,
        lastError: null,
        leaseUntil: null,
      }))
    ) {
      throw new AppError('CONFLICT', 'The plan changed while it was being applied; reload.');
    }
    await tx.appendAudit(
      entry(
        actor,
        appliedAt,
        'iam.baseline.applied',
        'iam_baseline_plan',
        plan.id,
        { status: plan.status },
        {
          status: 'APPLIED',
          group: plan.groupName,
          policyArn,
          added: plan.plan.add.map((m) => m.iamUser),
          removed: plan.plan.remove.map((m) => m.iamUser),
          attempts,
        },
      ),
      origin,
    );
  });
  return (await deps.store.findPlan(plan.id))!;
}
