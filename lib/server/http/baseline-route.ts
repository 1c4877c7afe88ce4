import 'server-only';
import { z } from 'zod';
import { decideBaseline } from '@/lib/iam-audit/service';
import { requestOrigin } from '@/lib/server/http/origin';
import { route } from '@/lib/server/http/route';
import { safeText } from '@/lib/security/text';
import { iamAuditDeps } from '@/lib/server/iam-audit';

const paramsSchema = z.object({ id: safeText(z.string().min(1).max(64)) });
const bodySchema = z.strictObject({ comment: safeText(z.string().trim().max(1000, 'Keep the comment under 1000 characters.')).default('') });

/** POST /api/v1/iam-audit/baseline/:id/approve|reject with `{ comment? }`: the same use case as the page's buttons. */
export function baselineDecisionRoute(decision: 'APPROVE' | 'REJECT') {
  return route<{ id: string }>('iam.baseline.approve', async ({ actor, params, body }) => {
    const { id } = paramsSchema.parse(params);
    const { comment } = bodySchema.parse(body ?? {});
    const plan = await decideBaseline(iamAuditDeps(), actor, { planId: id, decision, comment }, await requestOrigin());
    return { plan: { id: plan.id, status: plan.status, decidedBy: plan.decidedByName, decidedAt: plan.decidedAt } };
  });
}
