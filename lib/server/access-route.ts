import 'server-only';
import { cancelRequestSchema, decideRequestSchema } from '@/lib/access/schemas';
import { cancelRequest, decideRequest } from '@/lib/access/service';
import { accessDeps } from '@/lib/server/access';
import { kickGrants } from '@/lib/server/grants';
import { idRoute } from '@/lib/server/http/id-route';

/** POST /api/v1/requests/:id/approve|reject|cancel, all one shape: `{ comment? }`. */
export function decisionRoute(kind: 'APPROVE' | 'REJECT' | 'CANCEL') {
  if (kind === 'CANCEL')
    return idRoute('request.cancel', cancelRequestSchema, 'requestId', (input, actor, origin) => cancelRequest(accessDeps(), actor, input, origin));
  return idRoute(
    'request.decide',
    decideRequestSchema,
    'requestId',
    async (input, actor, origin) => {
      const result = await decideRequest(accessDeps(), actor, input, origin);
      if (result.status === 'APPROVED') kickGrants();
      return result;
    },
    { kind },
  );
}
