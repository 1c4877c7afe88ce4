'use server';

import { revalidatePath } from 'next/cache';
import { AppError } from '@/lib/errors';
import { assertRoleChangeAllowed } from '@/lib/identity/change-roles';
import { setPrincipalSchema, updateRolesSchema } from '@/lib/identity/schemas';
import { proposeUserRoles, setPrincipal, setUserRoles } from '@/lib/server/identity';
import { requestOrigin } from '@/lib/server/http/origin';
import { forgetActor } from '@/lib/server/auth/guards';
import { serverAction } from '@/lib/server/http/action';

/** Sets a user's roles (admin only; audited as user.roles_changed); adding SECURITY or ADMIN is proposed for a second approver (docs/decisions/032). */
export const updateUserRolesAction = serverAction('admin.users.update', updateRolesSchema, async ({ userId, roles }, actor) => {
  assertRoleChangeAllowed(actor, userId, roles);
  const proposal = await proposeUserRoles(userId, roles, actor, await requestOrigin());
  if (proposal) {
    revalidatePath('/admin');
    return { userId, roles, proposed: true };
  }
  if (!(await setUserRoles(userId, roles, actor, await requestOrigin()))) throw new AppError('NOT_FOUND', 'No such user.');
  forgetActor(userId);
  revalidatePath('/admin');
  return { userId, roles, proposed: false };
});

/** Maps a user to the IAM user or role their grants attach to in one account, or removes it (admin only; audited). */
export const setPrincipalAction = serverAction('admin.principals.update', setPrincipalSchema, async (input, actor) => {
  if (!(await setPrincipal(input, actor, await requestOrigin()))) throw new AppError('NOT_FOUND', 'No such user.');
  revalidatePath('/admin');
  return { userId: input.userId, accountId: input.accountId, arn: input.principal?.arn ?? null };
});
