'use server';

import { revalidatePath } from 'next/cache';
import { updateRuleSchema, upsertRoleSchema, upsertSecretSchema } from '@/lib/catalog/schemas';
import { updateRule, upsertRole, upsertSecret } from '@/lib/server/db/repositories/catalog-write';
import { serverAction } from '@/lib/server/http/action';
import { requestOrigin } from '@/lib/server/http/origin';

/** Adds a secret to the catalog or edits one (security, admin); audited. */
export const upsertSecretAction = serverAction('catalog.write', upsertSecretSchema, async (input, actor) => {
  const { row, changed } = await upsertSecret(input, actor!, await requestOrigin());
  revalidatePath('/catalog');
  return { id: row.id, name: row.name, changed };
});

/** Adds a team role to the catalog or edits one, policy included (security, admin); audited. */
export const upsertRoleAction = serverAction('catalog.write', upsertRoleSchema, async (input, actor) => {
  const { row, changed } = await upsertRole(input, actor!, await requestOrigin());
  revalidatePath('/catalog');
  return { id: row.id, changed };
});

/** Sets an approval rule (security, admin); audited. Requests already made keep their frozen rule. */
export const updateRuleAction = serverAction('rules.write', updateRuleSchema, async (input, actor) => {
  const { row, changed } = await updateRule(input, actor!, await requestOrigin());
  revalidatePath('/catalog');
  return { id: row.id, changed };
});
