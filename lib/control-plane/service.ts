import type { AuditAction } from '@/lib/audit/actions';
import type { AuditActor, RequestOrigin } from '@/lib/audit/model';
import { catalogChangeAppliers, sameState } from '@/lib/catalog/service';
import type { ExpectedAccount } from '@/lib/control-plane/arn-rules';
import { assertMayDecideChange, PRIVILEGED_ROLES, type ControlPlaneChange, type FourEyesDecision } from '@/lib/control-plane/model';
import type { ChangeDecisionPatch, ControlPlaneContext, DecisionStore, DecisionTx } from '@/lib/control-plane/ports';
import { AppError } from '@/lib/errors';
import { currentUserRoles, writeUserRoles, type UserRolesPayload } from '@/lib/identity/service';

/** The decision's ports: where changes are stored and the control plane's configuration. */
export interface DecisionDeps {
  store: DecisionStore;
  ctx: ControlPlaneContext;
}

const STATUS_OF: Record<FourEyesDecision, ChangeDecisionPatch['status']> = { APPROVE: 'APPLIED', REJECT: 'REJECTED', WITHDRAW: 'WITHDRAWN' };
const ACTION_OF: Record<FourEyesDecision, AuditAction> = {
  APPROVE: 'control_plane.change.approved',
  REJECT: 'control_plane.change.rejected',
  WITHDRAW: 'control_plane.change.withdrawn',
};

async function currentState(tx: DecisionTx, change: ControlPlaneChange): Promise<unknown> {
  if (change.kind === 'USER_ROLES') return currentUserRoles(tx.identity, (change.payload as UserRolesPayload).userId);
  return catalogChangeAppliers[change.kind].current(tx.catalog, change);
}

async function applyChange(
  tx: DecisionTx,
  change: ControlPlaneChange,
  approver: AuditActor,
  origin: RequestOrigin | null,
  ctx: ControlPlaneContext,
  account: ExpectedAccount | null,
): Promise<void> {
  if (change.kind === 'USER_ROLES') {
    const { userId, roles } = change.payload as UserRolesPayload;
    // The same write and 'user.roles_changed' event as a direct change, by the approver.
    if (!(await writeUserRoles(tx.identity, userId, roles, approver, origin))) throw new AppError('NOT_FOUND', 'That user no longer exists.');
    return;
  }
  await catalogChangeAppliers[change.kind].apply(tx.catalog, change, approver, origin, ctx, account);
}

/**
 * Approves (and applies, in the same transaction), rejects or withdraws a proposed change. The
 * decider's roles are read from the database now, not from their session: they must still be
 * security or admin, and not the author (nor, for a role assignment, its subject). A change whose
 * target differs from what the proposal saw is stale: 409, and it stays open to be rejected or
 * withdrawn. Each step is audited in the same transaction.
 */
export async function decideChange(
  deps: DecisionDeps,
  input: { changeId: string; decision: FourEyesDecision; comment?: string | null },
  actor: AuditActor,
  origin: RequestOrigin | null,
): Promise<ControlPlaneChange> {
  if (!actor.id) throw new AppError('FORBIDDEN', 'Only a signed-in user can decide a change.');
  const actorId = actor.id;
  const { store, ctx } = deps;
  const first = await store.findChange(input.changeId);
  if (!first) throw new AppError('NOT_FOUND', 'No such change.');
  // The account is resolved before the transaction (it may ask STS); the change's environment does not change.
  const account =
    input.decision === 'APPROVE' && first.environment && first.kind !== 'USER_ROLES' && first.kind !== 'APPROVAL_RULE'
      ? await ctx.accountFor(first.environment)
      : null;
  return store.transaction(async (tx) => {
    await tx.lockProposals();
    const decider = await tx.findUserStanding(actorId);
    if (!decider || !decider.active) throw new AppError('FORBIDDEN', 'Your account is no longer active.');
    const change = await tx.findChange(input.changeId);
    if (!change) throw new AppError('NOT_FOUND', 'No such change.');
    assertMayDecideChange(change, { id: actorId, roles: decider.roles }, input.decision);
    if (input.decision === 'APPROVE') {
      // The author's capacity counts at approval too: a proposal outlives nobody's demotion.
      const author = await tx.findUserStanding(change.authorId);
      if (!author?.active || !author.roles.some((r) => PRIVILEGED_ROLES.includes(r))) {
        throw new AppError(
          'CONFLICT',
          `${change.authorName}, who proposed this change, is no longer an active security or admin user: reject it, and propose it again if it is still wanted.`,
        );
      }
      if (!sameState(await currentState(tx, change), change.before)) {
        throw new AppError('CONFLICT', `${change.targetLabel} changed after this change was proposed: reject it and propose again.`);
      }
      await applyChange(tx, change, actor, origin, ctx, account);
    }
    // Conditional: of two deciders at once, exactly one moves the change out of PROPOSED.
    const moved = await tx.decide(change.id, {
      status: STATUS_OF[input.decision],
      decidedById: actorId,
      decidedByName: actor.name,
      decidedAt: new Date(),
      comment: input.comment?.trim() || null,
    });
    if (!moved) throw new AppError('CONFLICT', 'This change was decided by someone else meanwhile.');
    const decided = await tx.findChange(change.id);
    if (!decided) throw new AppError('NOT_FOUND', 'No such change.');
    await tx.auditChange(ACTION_OF[input.decision], actor, decided, origin);
    return decided;
  });
}
