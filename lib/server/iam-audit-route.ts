import 'server-only';
import { decideBaselineSchema } from '@/lib/iam-audit/schemas';
import { decideBaseline } from '@/lib/iam-audit/service';
import { idRoute } from '@/lib/server/http/id-route';
import { iamAuditDeps } from '@/lib/server/iam-audit';

/** POST /api/v1/iam-audit/baseline/:id/approve|reject with `{ comment? }`: the same use case as the page's buttons. */
export function baselineDecisionRoute(decision: 'APPROVE' | 'REJECT') {
  return idRoute(
    'iam.baseline.approve',
    decideBaselineSchema,
    'planId',
    async (input, actor, origin) => {
      const plan = await decideBaseline(iamAuditDeps(), actor, input, origin);
      return { plan: { id: plan.id, status: plan.status, decidedBy: plan.decidedByName, decidedAt: plan.decidedAt } };
    },
    { decision },
  );
}
