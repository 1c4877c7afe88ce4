'use server';

import { revalidatePath } from 'next/cache';
import { updateRuleSchema, upsertRoleSchema, upsertSecretSchema } from '@/lib/catalog/schemas';
import { decideChangeSchema } from '@/lib/control-plane/schemas';
import { forgetActor } from '@/lib/server/auth/guards';
import { controlPlaneContext, decideChange } from '@/lib/server/control-plane';
import { updateRule, upsertRole, upsertSecret } from '@/lib/server/catalog';
import { serverAction } from '@/lib/server/http/action';
import { requestOrigin } from '@/lib/server/http/origin';

/** Adds a secret to the catalog or edits one (security, admin); a new entry or a new ARN / environment is proposed for a second approver. */
export const upsertSecretAction = serverAction('catalog.write', upsertSecretSchema, async (input, actor) => {
  const { row, changed, proposal } = await upsertSecret(input, actor, await requestOrigin(), controlPlaneContext());
  revalidatePath('/catalog');
  return { id: row?.id ?? null, name: row?.name ?? proposal?.targetLabel ?? null, changed, proposed: proposal !== null };
});

/** Adds a team role to the catalog or edits one (security, admin); a new role or a new policy is proposed for a second approver. */
export const upsertRoleAction = serverAction('catalog.write', upsertRoleSchema, async (input, actor) => {
  const { row, changed, proposal } = await upsertRole(input, actor, await requestOrigin(), controlPlaneContext());
  revalidatePath('/catalog');
  return { id: row?.id ?? null, changed, proposed: proposal !== null };
});

/** Proposes an approval rule (security, admin) for a second approver; floors from configuration are never crossed. */
export const updateRuleAction = serverAction('rules.write', updateRuleSchema, async (input, actor) => {
  const { row, changed, proposal } = await updateRule(input, actor, await requestOrigin(), controlPlaneContext());
  revalidatePath('/catalog');
  return { id: row?.id ?? null, changed, proposed: proposal !== null };
});

/** Approves (applying it), rejects or withdraws a proposed control-plane change (security, admin; never its author). */
export const decideChangeAction = serverAction('control_plane.decide', decideChangeSchema, async (input, actor) => {
  const change = await decideChange(input, actor, await requestOrigin(), controlPlaneContext());
  if (change.kind === 'USER_ROLES' && change.status === 'APPLIED') forgetActor((change.payload as { userId: string }).userId);
  revalidatePath('/catalog');
  revalidatePath('/admin');
  return { changeId: change.id, status: change.status };
});
