import { auditEntry, isUnchanged, type AuditActor, type RequestOrigin } from '@/lib/audit/model';
import { addsPrivilegedRole, userTargetKey, type ControlPlaneChange } from '@/lib/control-plane/model';
import { AppError } from '@/lib/errors';
import type { AppRole } from '@/lib/identity/actor';
import type { IdentityStore, IdentityTx, PrincipalMapping } from '@/lib/identity/ports';

const sortedRoles = (roles: readonly AppRole[]): AppRole[] => [...new Set(roles)].sort();

/** The USER_ROLES change's payload. */
export interface UserRolesPayload {
  userId: string;
  roles: AppRole[];
}

/** A user's roles as a proposal records them (`before`): sorted, without duplicates; null when there is no such user. */
export async function currentUserRoles(tx: IdentityTx, userId: string): Promise<AppRole[] | null> {
  const user = await tx.findUser(userId);
  return user ? sortedRoles(user.roles) : null;
}

/**
 * Writes a user's roles and their 'user.roles_changed' event inside the caller's transaction: the
 * one path for a direct role change and for an approved role proposal (docs/decisions/032).
 * False when the user does not exist; an unchanged set writes nothing.
 */
export async function writeUserRoles(tx: IdentityTx, id: string, roles: AppRole[], actor: AuditActor, origin: RequestOrigin | null): Promise<boolean> {
  const user = await tx.findUser(id);
  if (!user) return false;
  const before = sortedRoles(user.roles);
  const after = sortedRoles(roles);
  if (isUnchanged(before, after)) return true;
  await tx.setRoles(id, after);
  await tx.appendAudit(
    auditEntry(actor, 'user.roles_changed', { type: 'user', id }, { before: { roles: before }, after: { roles: after } }, new Date()),
    origin,
  );
  return true;
}

/**
 * Replaces a user's roles and records 'user.roles_changed' (before and after) in the same
 * transaction: without its audit event the change does not happen. Saving the roles the user
 * already has writes nothing. Returns false when the user does not exist.
 */
export async function setUserRoles(store: IdentityStore, id: string, roles: AppRole[], actor: AuditActor, origin: RequestOrigin | null): Promise<boolean> {
  return store.transaction((tx) => writeUserRoles(tx, id, roles, actor, origin));
}

/**
 * Proposes a role assignment that adds SECURITY or ADMIN (docs/decisions/032); it applies only when
 * another security or admin user — not its author, not its subject — approves it. Returns null when
 * the change adds neither: the caller applies it directly.
 */
export async function proposeUserRoles(
  store: IdentityStore,
  userId: string,
  roles: AppRole[],
  actor: AuditActor,
  origin: RequestOrigin | null,
): Promise<ControlPlaneChange | null> {
  if (!actor.id) throw new AppError('FORBIDDEN', 'Only a signed-in user can change roles.');
  const author = { id: actor.id, name: actor.name };
  return store.transaction(async (tx) => {
    const user = await tx.findUser(userId);
    if (!user) throw new AppError('NOT_FOUND', 'No such user.');
    const after = sortedRoles(roles);
    if (!addsPrivilegedRole(user.roles, after)) return null;
    const payload: UserRolesPayload = { userId, roles: after };
    return tx.propose(
      {
        kind: 'USER_ROLES',
        targetKey: userTargetKey(userId),
        targetLabel: `${user.name} <${user.email}>`,
        environment: null,
        before: sortedRoles(user.roles),
        payload,
      },
      author,
      origin,
    );
  });
}

/**
 * Maps a user to an AWS principal in one account (or changes or removes it: `principal` null), with
 * an audit event ('principal.updated') in the same transaction. An ARN mapped to another user is a
 * CONFLICT; an account the portal does not work in is UNPROCESSABLE; saving what the user already
 * has writes nothing. Returns false for an unknown user.
 */
export async function setPrincipal(
  store: IdentityStore,
  input: { userId: string; accountId: string; principal: PrincipalMapping | null },
  actor: AuditActor,
  origin: RequestOrigin | null,
  accountIds: readonly string[],
): Promise<boolean> {
  if (!accountIds.includes(input.accountId))
    throw new AppError('UNPROCESSABLE', `Gatehouse does not work in account ${input.accountId}; its accounts are ${accountIds.join(', ')}.`);
  if (input.principal && input.principal.accountId !== input.accountId)
    throw new AppError('UNPROCESSABLE', `That ARN is in account ${input.principal.accountId}, not ${input.accountId}.`);
  return store.transaction(async (tx) => {
    if (!(await tx.findUser(input.userId))) return false;
    const before = await tx.findPrincipal(input.userId, input.accountId);
    const after = input.principal ? { accountId: input.accountId, kind: input.principal.kind, name: input.principal.name, arn: input.principal.arn } : null;
    if (after && (await tx.principalTaken(after.arn, input.userId))) throw new AppError('CONFLICT', 'That AWS identity is already mapped to another user.');
    if (before === null ? after === null : after !== null && isUnchanged(before, after)) return true;
    if (after) await tx.savePrincipal(input.userId, after);
    else await tx.removePrincipal(input.userId, input.accountId);
    await tx.appendAudit(auditEntry(actor, 'principal.updated', { type: 'user', id: input.userId }, { before, after }, new Date()), origin);
    return true;
  });
}
