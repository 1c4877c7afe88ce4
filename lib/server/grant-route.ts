import 'server-only';
import { z } from 'zod';
import { endGrant, shortenGrant } from '@/lib/grants/service';
import { grantDeps } from '@/lib/server/grants';
import { requestOrigin } from '@/lib/server/http/origin';
import { route } from '@/lib/server/http/route';
import { safeText } from '@/lib/security/text';

const paramsSchema = z.object({ id: safeText(z.string().min(1).max(64)) });
const comment = safeText(z.string().trim().max(1000, 'Keep the comment under 1000 characters.'));
const bodySchema = z.strictObject({ comment: comment.default('') });

/** POST /api/v1/grants/:id/give-back (holder) or /revoke (security, `{ comment }` required). */
export function endGrantRoute(reason: 'GIVEN_BACK' | 'REVOKED') {
  return route<{ id: string }>(reason === 'GIVEN_BACK' ? 'grant.give_back' : 'grant.revoke', async ({ actor, params, body }) => {
    const { id } = paramsSchema.parse(params);
    const { comment } = bodySchema.parse(body ?? {});
    return endGrant(grantDeps(), id, reason, { actor: actor!, comment, origin: await requestOrigin() });
  });
}

const shortenBodySchema = z.strictObject({ endsAt: z.coerce.date({ message: 'Give a valid end time (ISO 8601).' }), comment: comment.default('') });

/** POST /api/v1/grants/:id/shorten `{ endsAt, comment? }`: the holder or security moves the end earlier. */
export const shortenGrantRoute = route<{ id: string }>('grant.shorten', async ({ actor, params, body }) => {
  const { id } = paramsSchema.parse(params);
  const { endsAt, comment } = shortenBodySchema.parse(body);
  return shortenGrant(grantDeps(), id, endsAt, { actor: actor!, comment, origin: await requestOrigin() });
});
