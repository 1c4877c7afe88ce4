import 'server-only';
import type { AuditActor, RequestOrigin } from '@/lib/audit/model';
import type { AppRole } from '@/lib/identity/actor';
import type { IdentityStore, PrincipalMapping } from '@/lib/identity/ports';
import * as service from '@/lib/identity/service';
import { portalAccountIds } from '@/lib/server/cloud/account';
import { createIdentityStore } from '@/lib/server/db/repositories/identity-write';

/** Replaces a user's roles, audited (lib/identity/service.ts setUserRoles), on the portal's database. */
export function setUserRoles(
  id: string,
  roles: AppRole[],
  actor: AuditActor,
  origin: RequestOrigin | null,
  store: IdentityStore = createIdentityStore(),
): Promise<boolean> {
  return service.setUserRoles(store, id, roles, actor, origin);
}

/** Proposes a role assignment that adds SECURITY or ADMIN (lib/identity/service.ts proposeUserRoles). */
export function proposeUserRoles(
  userId: string,
  roles: AppRole[],
  actor: AuditActor,
  origin: RequestOrigin | null,
  store: IdentityStore = createIdentityStore(),
) {
  return service.proposeUserRoles(store, userId, roles, actor, origin);
}

/** Maps a user to an AWS principal in one of the portal's accounts, audited (lib/identity/service.ts setPrincipal). */
export async function setPrincipal(
  input: { userId: string; accountId: string; principal: PrincipalMapping | null },
  actor: AuditActor,
  origin: RequestOrigin | null,
  store: IdentityStore = createIdentityStore(),
  accountIds?: readonly string[],
): Promise<boolean> {
  return service.setPrincipal(store, input, actor, origin, accountIds ?? (await portalAccountIds()));
}
