import 'server-only';
import { giveBackSchema, revokeSchema, shortenSchema } from '@/lib/grants/schemas';
import { endGrant, shortenGrant } from '@/lib/grants/service';
import { grantDeps } from '@/lib/server/grants';
import { idRoute } from '@/lib/server/http/id-route';

/** POST /api/v1/grants/:id/give-back (holder) or /revoke (security, `{ comment }` required). */
export function endGrantRoute(reason: 'GIVEN_BACK' | 'REVOKED') {
  return idRoute(
    reason === 'GIVEN_BACK' ? 'grant.give_back' : 'grant.revoke',
    reason === 'GIVEN_BACK' ? giveBackSchema : revokeSchema,
    'grantId',
    (input, actor, origin) => endGrant(grantDeps(), input.grantId, reason, { actor, comment: input.comment, origin }),
  );
}

/** POST /api/v1/grants/:id/shorten `{ endsAt, comment? }`: the holder or security moves the end earlier. */
export const shortenGrantRoute = idRoute('grant.shorten', shortenSchema, 'grantId', (input, actor, origin) =>
  shortenGrant(grantDeps(), input.grantId, input.endsAt, { actor, comment: input.comment, origin }),
);
