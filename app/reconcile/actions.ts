'use server';

import { revalidatePath } from 'next/cache';
import { fixAllFindingsSchema, fixFindingSchema } from '@/lib/grants/schemas';
import { serverAction } from '@/lib/server/http/action';
import { requestOrigin } from '@/lib/server/http/origin';
import { fixAllFindings, fixFindingById } from '@/lib/server/reconcile';

/** Fixes one finding of a fresh scan (the client names it; the fix itself is computed here). */
export const fixFindingAction = serverAction('grant.reconcile.fix', fixFindingSchema, async (input, actor) => {
  const result = await fixFindingById(input.findingId, actor, await requestOrigin());
  revalidatePath('/reconcile');
  return result;
});

/** Fixes every finding of a fresh scan. */
export const fixAllFindingsAction = serverAction('grant.reconcile.fix', fixAllFindingsSchema, async (_input, actor) => {
  const result = await fixAllFindings(actor, await requestOrigin());
  revalidatePath('/reconcile');
  return result;
});
