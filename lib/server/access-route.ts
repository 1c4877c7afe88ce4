import 'server-only';
import { cancelRequestSchema, decideRequestSchema } from '@/lib/access/schemas';
import { cancelRequest, decideRequest } from '@/lib/access/service';
import { AppError } from '@/lib/errors';
import type { Actor } from '@/lib/identity/actor';
import { accessDeps } from '@/lib/server/access';
import { findVisibleRequestOrThrow } from '@/lib/server/access-queries';
import { env } from '@/lib/server/env';
import { applyGrantNow } from '@/lib/server/grants';
import { idRoute } from '@/lib/server/http/id-route';

/**
 * A prod decision needs a fresh sign-in (step-up), which an API token cannot give: a token caller
 * is sent to the request's page instead (docs/decisions/045-api-tokens.md). A request the caller
 * may not see is a 404 first, as in the use case. Sessions go on to the use case unchanged.
 */
async function refuseProdDecisionByToken(actor: Actor, requestId: string): Promise<void> {
  if (!actor.token) return;
  const request = await findVisibleRequestOrThrow(actor, requestId);
  if (request.environment !== 'PROD') return;
  const url = `${env().GATEHOUSE_PUBLIC_URL}/requests/${encodeURIComponent(requestId)}`;
  throw new AppError('FORBIDDEN', `Prod decisions need a fresh sign-in, which an API token cannot give: decide this request in the portal at ${url}`);
}

/** POST /api/v1/requests/:id/approve|reject|cancel, all one shape: `{ comment? }`. */
export function decisionRoute(kind: 'APPROVE' | 'REJECT' | 'CANCEL') {
  if (kind === 'CANCEL')
    return idRoute('request.cancel', cancelRequestSchema, 'requestId', (input, actor, origin) => cancelRequest(accessDeps(), actor, input, origin));
  return idRoute(
    'request.decide',
    decideRequestSchema,
    'requestId',
    async (input, actor, origin) => {
      await refuseProdDecisionByToken(actor, input.requestId);
      const result = await decideRequest(accessDeps(), actor, input, origin);
      if (result.status === 'APPROVED') applyGrantNow(input.requestId);
      return result;
    },
    { kind },
  );
}
