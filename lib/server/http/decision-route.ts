import 'server-only';
import { z } from 'zod';
import { cancelRequest, decideRequest } from '@/lib/access/service';
import { accessDeps } from '@/lib/server/access';
import { kickGrants } from '@/lib/server/grants';
import { requestOrigin } from '@/lib/server/http/origin';
import { route } from '@/lib/server/http/route';
import { safeText } from '@/lib/security/text';

const paramsSchema = z.object({ id: safeText(z.string().min(1).max(64)) });
const bodySchema = z.strictObject({ comment: safeText(z.string().trim().max(1000, 'Keep the comment under 1000 characters.')).default('') });

/** POST /api/v1/requests/:id/approve|reject|cancel, all one shape: `{ comment? }`. */
export function decisionRoute(kind: 'APPROVE' | 'REJECT' | 'CANCEL') {
  return route<{ id: string }>(kind === 'CANCEL' ? 'request.cancel' : 'request.decide', async ({ actor, params, body }) => {
    const { id } = paramsSchema.parse(params);
    const { comment } = bodySchema.parse(body ?? {});
    const origin = await requestOrigin();
    if (kind === 'CANCEL') return cancelRequest(accessDeps(), actor, { requestId: id, comment }, origin);
    const result = await decideRequest(accessDeps(), actor, { requestId: id, kind, comment }, origin);
    if (result.status === 'APPROVED') kickGrants();
    return result;
  });
}
