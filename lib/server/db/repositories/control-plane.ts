import 'server-only';
import type { AuditActor, RequestOrigin } from '@/lib/audit/model';
import type { AuditAction } from '@/lib/audit/actions';
import { addsPrivilegedRole, assertMayDecideChange, PRIVILEGED_ROLES, userTargetKey, type ControlPlaneChange, type FourEyesDecision } from '@/lib/control-plane/model';
import { AppError } from '@/lib/errors';
import type { AppRole } from '@/lib/identity/actor';
import { prisma } from '@/lib/server/db/connection';
import type { Prisma, PrismaClient } from '@/lib/server/db/generated/client';
import { catalogChangeAppliers, sameState, type ControlPlaneContext } from '@/lib/server/db/repositories/catalog-write';
import { auditChange, changeSelect, findChange, lockProposals, proposeChange } from '@/lib/server/db/repositories/control-plane-changes';
import { writeUserRoles } from '@/lib/server/db/repositories/users';

type Tx = Prisma.TransactionClient;

const TX_OPTIONS = { maxWait: 10_000, timeout: 20_000 } as const;

const STATUS_OF: Record<FourEyesDecision, 'APPLIED' | 'REJECTED' | 'WITHDRAWN'> = { APPROVE: 'APPLIED', REJECT: 'REJECTED', WITHDRAW: 'WITHDRAWN' };
const ACTION_OF: Record<FourEyesDecision, AuditAction> = { APPROVE: 'control_plane.change.approved', REJECT: 'control_plane.change.rejected', WITHDRAW: 'control_plane.change.withdrawn' };

const sortedRoles = (roles: readonly AppRole[]) => [...new Set(roles)].sort();

/** The USER_ROLES change's payload. */
interface UserRolesPayload {
  userId: string;
  roles: AppRole[];
}

/**
 * Proposes a role assignment that adds SECURITY or ADMIN (docs/decisions/032); it applies only when
 * another security or admin user — not its author, not its subject — approves it. Returns null when
 * the change adds neither: the caller applies it directly.
 */
export async function proposeUserRoles(
  userId: string,
  roles: AppRole[],
  actor: AuditActor,
  origin: RequestOrigin | null,
  db: PrismaClient = prisma(),
): Promise<ControlPlaneChange | null> {
  if (!actor.id) throw new AppError('FORBIDDEN', 'Only a signed-in user can change roles.');
  const author = { id: actor.id, name: actor.name };
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, name: true, email: true, roles: true } });
    if (!user) throw new AppError('NOT_FOUND', 'No such user.');
    const after = sortedRoles(roles);
    if (!addsPrivilegedRole(user.roles, after)) return null;
    const payload: UserRolesPayload = { userId, roles: after };
    return proposeChange(tx, { kind: 'USER_ROLES', targetKey: userTargetKey(userId), targetLabel: `${user.name} <${user.email}>`, environment: null, before: sortedRoles(user.roles), payload }, author, origin);
  }, TX_OPTIONS);
}

async function currentState(tx: Tx, change: ControlPlaneChange): Promise<unknown> {
  if (change.kind === 'USER_ROLES') {
    const { userId } = change.payload as UserRolesPayload;
    const user = await tx.user.findUnique({ where: { id: userId }, select: { roles: true } });
    return user ? sortedRoles(user.roles) : null;
  }
  return catalogChangeAppliers[change.kind].current(tx, change);
}

async function applyChange(tx: Tx, change: ControlPlaneChange, approver: AuditActor, origin: RequestOrigin | null, ctx: ControlPlaneContext, account: Awaited<ReturnType<ControlPlaneContext['accountFor']>> | null): Promise<void> {
  if (change.kind === 'USER_ROLES') {
    const { userId, roles } = change.payload as UserRolesPayload;
    // The same write and 'user.roles_changed' event as a direct change, by the approver.
    if (!(await writeUserRoles(tx, userId, sortedRoles(roles), approver, origin))) throw new AppError('NOT_FOUND', 'That user no longer exists.');
    return;
  }
  await catalogChangeAppliers[change.kind].apply(tx, change, approver, origin, ctx, account);
}

/**
 * Approves (and applies, in the same transaction), rejects or withdraws a proposed change. The
 * decider's roles are read from the database now, not from their session: they must still be
 * security or admin, and not the author (nor, for a role assignment, its subject). A change whose
 * target differs from what the proposal saw is stale: 409, and it stays open to be rejected or
 * withdrawn. Each step is audited in the same transaction.
 */
export async function decideChange(
  input: { changeId: string; decision: FourEyesDecision; comment?: string | null },
  actor: AuditActor,
  origin: RequestOrigin | null,
  ctx: ControlPlaneContext,
  db: PrismaClient = prisma(),
): Promise<ControlPlaneChange> {
  if (!actor.id) throw new AppError('FORBIDDEN', 'Only a signed-in user can decide a change.');
  const actorId = actor.id;
  const first = await findChange(input.changeId, db);
  if (!first) throw new AppError('NOT_FOUND', 'No such change.');
  // The account is resolved before the transaction (it may ask STS); the change's environment does not change.
  const account = input.decision === 'APPROVE' && first.environment && first.kind !== 'USER_ROLES' && first.kind !== 'APPROVAL_RULE' ? await ctx.accountFor(first.environment) : null;
  return db.$transaction(async (tx) => {
    await lockProposals(tx);
    const decider = await tx.user.findUnique({ where: { id: actorId }, select: { id: true, roles: true, active: true } });
    if (!decider || !decider.active) throw new AppError('FORBIDDEN', 'Your account is no longer active.');
    const change = await tx.controlPlaneChange.findUnique({ where: { id: input.changeId }, select: changeSelect });
    if (!change) throw new AppError('NOT_FOUND', 'No such change.');
    assertMayDecideChange(change, decider, input.decision);
    if (input.decision === 'APPROVE') {
      // The author's capacity counts at approval too: a proposal outlives nobody's demotion.
      const author = await tx.user.findUnique({ where: { id: change.authorId }, select: { roles: true, active: true } });
      if (!author?.active || !author.roles.some((r) => PRIVILEGED_ROLES.includes(r))) {
        throw new AppError('CONFLICT', `${change.authorName}, who proposed this change, is no longer an active security or admin user: reject it, and propose it again if it is still wanted.`);
      }
      if (!sameState(await currentState(tx, change), change.before)) {
        throw new AppError('CONFLICT', `${change.targetLabel} changed after this change was proposed: reject it and propose again.`);
      }
      await applyChange(tx, change, actor, origin, ctx, account);
    }
    const now = new Date();
    // Conditional: of two deciders at once, exactly one moves the change out of PROPOSED.
    const { count } = await tx.controlPlaneChange.updateMany({
      where: { id: change.id, status: 'PROPOSED' },
      data: { status: STATUS_OF[input.decision], decidedById: actorId, decidedByName: actor.name, decidedAt: now, comment: input.comment?.trim() || null },
    });
    if (count !== 1) throw new AppError('CONFLICT', 'This change was decided by someone else meanwhile.');
    const decided = await tx.controlPlaneChange.findUniqueOrThrow({ where: { id: change.id }, select: changeSelect });
    await auditChange(tx, ACTION_OF[input.decision], actor, decided, origin);
    return decided;
  }, TX_OPTIONS);
}
