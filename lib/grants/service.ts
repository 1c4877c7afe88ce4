import { AppError } from '@/lib/errors';
import type { AuditAction } from '@/lib/audit/actions';
import { auditEntry, SYSTEM_ACTOR, type AuditActor, type AuditEntry, type RequestOrigin } from '@/lib/audit/model';
import type { Environment } from '@/lib/environments';
import type { Actor } from '@/lib/identity/actor';
import { hasRole } from '@/lib/identity/actor';
import { retryDelayMs, type GrantEndReason, type GrantRecord, type GrantStatus } from '@/lib/grants/model';
import type { GrantStore, GrantTx, IamPort, SecretsPort } from '@/lib/grants/ports';
import { samePrincipal } from '@/lib/grants/principals';
import { generateGrantPolicy, GRANT_POLICY_PATH, REVOKED_SESSIONS_POLICY, revokeSessionsPolicy, withPolicyEnd } from '@/lib/grants/policy';

export interface GrantDeps {
  store: GrantStore;
  /** IAM of the account an environment lives in (docs/decisions/039): a grant acts only there. */
  iam: (environment: Environment) => IamPort;
  /** Secrets Manager of the account an environment lives in: a registered secret is created there. */
  secrets: (environment: Environment) => SecretsPort;
  now: () => Date;
  random?: () => number;
  /**
   * How long a person's give-back or revoke waits for AWS before it answers ENDING; the removal
   * goes on in the background and, if this process dies, the job takes it over when the lease
   * lapses. Unset: wait for the removal (the job itself does).
   */
  endWaitMs?: number;
  /** Where a background removal's unexpected failure is reported (the job retries it). */
  onBackgroundError?: (e: unknown) => void;
}

const LEASE_MS = 60_000;
/** How far past the detach a role grant's sessions are cut (IAM's propagation delay, with room to spare). */
const SESSION_CUT_MARGIN_MS = 5 * 60_000;
function audit(g: GrantRecord, action: AuditAction, now: Date, after: unknown, actor: AuditActor = SYSTEM_ACTOR): AuditEntry {
  return auditEntry(actor, action, { type: 'grant', id: g.id }, { environment: g.environment, teamId: g.teamId, requestId: g.requestId, after }, now);
}

function describe(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).slice(0, 500);
}

/**
 * Applies a due grant in AWS: creates its policy (idempotent), records the ARN, attaches it to the
 * requester's principal, then marks the grant and its request ACTIVE. A failure leaves the grant
 * GRANT_FAILED with the error and a retry time; a crash at any point is finished by the next run.
 */
export async function applyGrant(deps: GrantDeps, id: string): Promise<'applied' | 'failed' | 'skipped' | 'expired'> {
  const now = deps.now();
  const g = await deps.store.lease(id, ['PENDING', 'GRANT_FAILED'], now, LEASE_MS);
  if (!g) return 'skipped';
  if (g.endsAt <= now) {
    await deps.store.transaction(async (tx) => {
      if (!(await tx.update(g.id, g.version, { status: 'ENDED', endReason: 'EXPIRED', endedAt: now, leaseUntil: null }))) return;
      await tx.setRequestStatus(g.requestId, ['APPROVED', 'ACTIVE'], 'ENDED', now, 'EXPIRED');
      await tx.appendAudit(audit(g, 'grant.expired', now, { appliedInAws: false }), null);
    });
    return 'expired';
  }
  let policyArn = g.policyArn;
  try {
    if (g.setup && !g.setupAt) await setUpGrant(deps, g, now);
    if (!policyArn) {
      policyArn = await deps.iam(g.environment).ensurePolicy(g.policyName, g.policy, {
        'gatehouse:grant': g.id,
        'gatehouse:request': g.requestId,
        'gatehouse:expires': g.endsAt.toISOString(),
      });
      // Recorded before attaching, so that a crash after this point is finished by a retry (the
      // policy alone, unattached, grants nothing).
      const saved = policyArn;
      await deps.store.transaction((tx) => tx.update(g.id, g.version, { policyArn: saved }));
      g.version++;
    }
    await deps.iam(g.environment).attachPolicy(g.principal, policyArn);
  } catch (e) {
    const attempts = g.attempts + 1;
    await deps.store.transaction(async (tx) => {
      const next = new Date(now.getTime() + retryDelayMs(attempts, deps.random));
      if (!(await tx.update(g.id, g.version, { status: 'GRANT_FAILED', attempts, nextAttemptAt: next, lastError: describe(e), leaseUntil: null }))) return;
      if (attempts === 1) await tx.appendAudit(audit(g, 'grant.failed', now, { error: describe(e), retryAt: next }), null);
    });
    return 'failed';
  }
  await deps.store.transaction(async (tx) => {
    if (!(await tx.update(g.id, g.version, { status: 'ACTIVE', appliedAt: now, lastError: null, leaseUntil: null }))) return;
    await tx.setRequestStatus(g.requestId, ['APPROVED'], 'ACTIVE', now);
    await tx.appendAudit(audit(g, 'grant.applied', now, { policyArn, principal: g.principal.arn, endsAt: g.endsAt, attempts: g.attempts + 1 }), null);
  });
  return 'applied';
}

/**
 * Applies the grant of a request that was just approved, at once and only that one: each approval
 * applies its own grant in parallel with the others instead of queueing behind a lifecycle pass over
 * everything due (issue 20: 16 approvals at once waited 3.3 s at the median for the pass). A grant
 * that starts later, or is already leased by another replica, is left to the job ('skipped').
 */
export async function applyGrantOfRequest(deps: GrantDeps, requestId: string): Promise<'applied' | 'failed' | 'skipped' | 'expired' | 'none'> {
  const g = await deps.store.findByRequest(requestId);
  return g ? applyGrant(deps, g.id) : 'none';
}

/**
 * Makes what the grant's policy names exist: the registered secret (its exact ARN then replaces the
 * pattern the approver saw, and it joins the catalog) or the team role. Recorded with the grant, so
 * that a retry does not do it twice; both AWS calls are idempotent should a crash come in between.
 */
async function setUpGrant(deps: GrantDeps, g: GrantRecord, now: Date): Promise<void> {
  const setup = g.setup!;
  if (setup.kind === 'CREATE_SECRET') {
    const created = await deps
      .secrets(g.environment)
      .createSecret({ name: setup.name, description: setup.description, tags: setup.tags, idempotencyKey: g.id });
    const policy = generateGrantPolicy({ type: 'SECRET_REGISTER', secretArn: created.arn }, g.endsAt);
    const saved = await deps.store.transaction(async (tx) => {
      if (!(await tx.update(g.id, g.version, { setupAt: now, resourceArn: created.arn, policy }))) return false;
      await tx.registerCatalogSecret({
        name: setup.name,
        environment: setup.environment,
        teamId: setup.teamId,
        description: setup.description,
        arn: created.arn,
        kmsKeyArn: created.kmsKeyId?.startsWith('arn:') ? created.kmsKeyId : null,
      });
      await tx.appendAudit(audit(g, 'grant.secret_created', now, { name: setup.name, arn: created.arn, tags: setup.tags }), null);
      return true;
    });
    if (!saved) throw new AppError('CONFLICT', 'The grant changed while its secret was created; the next run finishes it.');
    Object.assign(g, { resourceArn: created.arn, policy, setupAt: now, version: g.version + 1 });
  } else {
    const arn = await deps.iam(g.environment).ensureRole(setup.role);
    const saved = await deps.store.transaction(async (tx) => {
      if (!(await tx.update(g.id, g.version, { setupAt: now }))) return false;
      await tx.appendAudit(audit(g, 'grant.role_ensured', now, { role: arn, permissions: setup.role.permissions }), null);
      return true;
    });
    if (!saved) throw new AppError('CONFLICT', 'The grant changed while its role was set up; the next run finishes it.');
    Object.assign(g, { setupAt: now, version: g.version + 1 });
  }
}

/**
 * Ends a grant: EXPIRED (the job, at its end), GIVEN_BACK (its holder) or REVOKED (security, with a
 * reason). The end is recorded first, then the artifact is removed at once; if AWS fails, the
 * grant stays ENDING and the job retries the removal.
 */
export async function endGrant(
  deps: GrantDeps,
  id: string,
  reason: GrantEndReason,
  by: { actor: Actor; comment: string; origin: RequestOrigin | null } | null,
): Promise<{ status: GrantStatus }> {
  const now = deps.now();
  const g = await deps.store.find(id);
  if (!g) throw new AppError('NOT_FOUND', 'No such grant.');
  if (by) {
    if (reason === 'GIVEN_BACK' && g.requesterId !== by.actor.id) throw new AppError('NOT_FOUND', 'No such grant of yours.');
    if (reason === 'REVOKED' && !(hasRole(by.actor, 'SECURITY') || hasRole(by.actor, 'ADMIN')))
      throw new AppError('FORBIDDEN', 'Only the security team can revoke access.');
    if (reason === 'REVOKED' && by.comment.trim().length < 5) throw new AppError('UNPROCESSABLE', 'Say why the access is revoked (at least 5 characters).');
  }
  if (g.status === 'ENDING' || g.status === 'ENDED') throw new AppError('CONFLICT', 'This access has already ended.');
  const ended = await deps.store.transaction((tx) => recordGrantEnd(tx, g, reason, by, now));
  if (!ended) throw new AppError('CONFLICT', 'The access changed meanwhile; reload and try again.');
  const removal = removeGrantArtifact(deps, id);
  if (!by || deps.endWaitMs === undefined) return { status: await removal };
  // The end is recorded: a slow or throttled AWS must not keep the person waiting for its retries.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const answer = new Promise<'ENDING'>((resolve) => {
    timer = setTimeout(() => resolve('ENDING'), deps.endWaitMs);
  });
  // The end is recorded either way: a removal that fails (the database gone between the two
  // transactions) leaves it ENDING for the job, and the person is told so, not shown an error.
  const settled = removal.catch((e: unknown) => {
    deps.onBackgroundError?.(e);
    return 'ENDING' as const;
  });
  try {
    return { status: await Promise.race([settled, answer]) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Records the end of a grant in the caller's transaction: ENDING with its reason, due for removal
 * now, and the audit event (grant.expired / grant.given_back / grant.revoked). False when the grant
 * changed since `g` was read. The removal itself is removeGrantArtifact's (the job's or endGrant's).
 */
export async function recordGrantEnd(
  tx: GrantTx,
  g: GrantRecord,
  reason: GrantEndReason,
  by: { actor: Actor; comment: string; origin: RequestOrigin | null } | null,
  now: Date,
): Promise<boolean> {
  if (
    !(await tx.update(g.id, g.version, {
      status: 'ENDING',
      endReason: reason,
      endedById: by?.actor.id ?? null,
      endComment: by?.comment ?? null,
      nextAttemptAt: now,
      leaseUntil: null,
    }))
  )
    return false;
  const action = reason === 'EXPIRED' ? 'grant.expired' : reason === 'GIVEN_BACK' ? 'grant.given_back' : 'grant.revoked';
  await tx.appendAudit(
    audit(g, action, now, { comment: by?.comment ?? null, wasApplied: g.status === 'ACTIVE' }, by?.actor ?? SYSTEM_ACTOR),
    by?.origin ?? null,
  );
  return true;
}

/** The earliest new end accepted: the lifecycle job needs a moment to see it. */
const MIN_SHORTEN_MS = 10_000;

/**
 * Moves a grant's end earlier (its holder, or security): the stored policy and, when applied, the
 * policy in AWS get the new `aws:CurrentTime` bound, and the job ends the grant at the new time. If
 * AWS fails here, the grant still ends at the new time (the job removes it) and the reconciler
 * restores the stored document meanwhile.
 */
export async function shortenGrant(
  deps: GrantDeps,
  id: string,
  endsAt: Date,
  by: { actor: Actor; comment: string; origin: RequestOrigin | null },
): Promise<{ status: GrantStatus; endsAt: Date; appliedInAws: boolean }> {
  const now = deps.now();
  const g = await deps.store.find(id);
  // Security may shorten anyone's grant from the portal; an API token acts only on its user's own
  // (its request scope is about one's own access: docs/decisions/045-api-tokens.md).
  const isSecurity = !by.actor.token && (hasRole(by.actor, 'SECURITY') || hasRole(by.actor, 'ADMIN'));
  if (!g || (g.requesterId !== by.actor.id && !isSecurity)) throw new AppError('NOT_FOUND', 'No such grant of yours.');
  if (g.status === 'ENDING' || g.status === 'ENDED') throw new AppError('CONFLICT', 'This access has already ended.');
  if (endsAt.getTime() < now.getTime() + MIN_SHORTEN_MS)
    throw new AppError('UNPROCESSABLE', 'The new end must be in the future; to end access now, give it back or revoke it.');
  if (endsAt >= g.endsAt) throw new AppError('UNPROCESSABLE', 'The new end must be earlier than the current one; longer access needs an extension request.');
  const policy = withPolicyEnd(g.policy, endsAt);
  const saved = await deps.store.transaction(async (tx) => {
    if (!(await tx.update(g.id, g.version, { endsAt, policy }))) return false;
    await tx.appendAudit(audit(g, 'grant.shortened', now, { from: g.endsAt, to: endsAt, comment: by.comment }, by.actor), by.origin);
    return true;
  });
  if (!saved) throw new AppError('CONFLICT', 'The access changed meanwhile; reload and try again.');
  let appliedInAws = false;
  if (g.policyArn) {
    try {
      await deps.iam(g.environment).ensurePolicy(g.policyName, policy, {
        'gatehouse:grant': g.id,
        'gatehouse:request': g.requestId,
        'gatehouse:expires': endsAt.toISOString(),
      });
      appliedInAws = true;
    } catch (e) {
      await deps.store.transaction((tx) => tx.update(g.id, g.version + 1, { lastError: `shortening in AWS: ${describe(e)}` }));
    }
  }
  return { status: g.status, endsAt, appliedInAws };
}

/** Applying may have created the policy without recording its ARN: find it by name (in the grant's account). */
async function findUnrecordedPolicy(iam: IamPort, g: GrantRecord): Promise<{ arn: string; attached: boolean } | null> {
  const found = (await iam.listPolicies(GRANT_POLICY_PATH)).find((p) => p.name === g.policyName);
  return found ? { arn: found.arn, attached: found.attachedTo.some((a) => samePrincipal(a, g.principal)) } : null;
}

/** Removes an ENDING grant's policy from AWS (detach, delete; both idempotent), then marks it ENDED. */
export async function removeGrantArtifact(deps: GrantDeps, id: string): Promise<GrantStatus> {
  const now = deps.now();
  const g = await deps.store.lease(id, ['ENDING'], now, LEASE_MS);
  if (!g) return (await deps.store.find(id))?.status ?? 'ENDED';
  try {
    const iam = deps.iam(g.environment);
    const policy = g.policyArn ? { arn: g.policyArn, attached: true } : await findUnrecordedPolicy(iam, g);
    if (policy?.attached) await iam.detachPolicy(g.principal, policy.arn);
    // Sessions of a team role outlive the detached policy by up to an hour: cut this grant's
    // sessions issued until a few minutes from now (IAM takes seconds to propagate the detach; the
    // deny names only this grant's session tag, so a later grant of the same user is untouched).
    if (g.setup?.kind === 'TEAM_ROLE' && g.setupAt) {
      const at = deps.now();
      const cutAt = new Date(at.getTime() + SESSION_CUT_MARGIN_MS);
      await iam.updateRoleInlinePolicy(g.setup.role.name, REVOKED_SESSIONS_POLICY, (current) => revokeSessionsPolicy(current, g.id, cutAt, at));
    }
    if (policy) await iam.deletePolicy(policy.arn);
  } catch (e) {
    const attempts = g.attempts + 1;
    await deps.store.transaction((tx) =>
      tx.update(g.id, g.version, {
        attempts,
        nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts, deps.random)),
        lastError: describe(e),
        leaseUntil: null,
      }),
    );
    return 'ENDING';
  }
  await deps.store.transaction(async (tx) => {
    if (!(await tx.update(g.id, g.version, { status: 'ENDED', endedAt: now, lastError: null, leaseUntil: null }))) return;
    await tx.setRequestStatus(g.requestId, ['APPROVED', 'ACTIVE'], 'ENDED', now, g.endReason ?? 'EXPIRED');
    await tx.appendAudit(
      audit(g, 'grant.removed', now, {
        policyArn: g.policyArn,
        principal: g.principal.arn,
        reason: g.endReason,
        sessionsRevoked: g.setup?.kind === 'TEAM_ROLE' && g.setupAt !== null,
      }),
      null,
    );
  });
  return 'ENDED';
}

/** One pass of the lifecycle job: apply what is due, end what expired, finish removals. */
export async function runGrantLifecycle(deps: GrantDeps, batch = 50) {
  const due = await deps.store.listDue(deps.now(), batch);
  const result = { applied: 0, failed: 0, expired: 0, removed: 0 };
  for (const id of due.apply) {
    const r = await applyGrant(deps, id);
    if (r === 'applied') result.applied++;
    else if (r === 'failed') result.failed++;
    else if (r === 'expired') result.expired++;
  }
  for (const id of due.expire) {
    try {
      if ((await endGrant(deps, id, 'EXPIRED', null)).status === 'ENDED') result.removed++;
      result.expired++;
    } catch (e) {
      // Another replica ended it first.
      if (!(e instanceof AppError && e.code === 'CONFLICT')) throw e;
    }
  }
  for (const id of due.remove) if ((await removeGrantArtifact(deps, id)) === 'ENDED') result.removed++;
  return result;
}
