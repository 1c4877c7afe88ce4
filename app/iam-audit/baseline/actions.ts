'use server';

import { revalidatePath } from 'next/cache';
import { applyBaselineSchema, decideBaselineSchema, proposeBaselineSchema } from '@/lib/iam-audit/schemas';
import { applyBaseline, decideBaseline, proposeBaseline } from '@/lib/iam-audit/service';
import { serverAction } from '@/lib/server/http/action';
import { requestOrigin } from '@/lib/server/http/origin';
import { iamAuditDeps } from '@/lib/server/iam-audit';

/** Proposes the baseline as it stands now (the plan is computed on the server, never sent by the browser). */
export const proposeBaselineAction = serverAction('iam.baseline.propose', proposeBaselineSchema, async (_input, actor) => {
  const plan = await proposeBaseline(iamAuditDeps(), actor, await requestOrigin());
  revalidatePath('/iam-audit/baseline');
  return { planId: plan.id, status: plan.status };
});

/** Approves or rejects a proposed plan (its author cannot approve it). */
export const decideBaselineAction = serverAction('iam.baseline.approve', decideBaselineSchema, async (input, actor) => {
  const plan = await decideBaseline(iamAuditDeps(), actor, input, await requestOrigin());
  revalidatePath('/iam-audit/baseline');
  return { planId: plan.id, status: plan.status };
});

/** Applies an approved plan in IAM, or retries one that failed. */
export const applyBaselineAction = serverAction('iam.baseline.apply', applyBaselineSchema, async (input, actor) => {
  const plan = await applyBaseline(iamAuditDeps(), actor, input.planId, await requestOrigin());
  revalidatePath('/iam-audit/baseline');
  return { planId: plan.id, status: plan.status };
});
