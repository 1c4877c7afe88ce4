'use server';

import { revalidatePath } from 'next/cache';
import { createTokenSchema, revokeTokenSchema } from '@/lib/tokens/schemas';
import { generateApiToken } from '@/lib/tokens/token';
import { can } from '@/lib/server/auth/permissions';
import { forgetApiToken } from '@/lib/server/auth/tokens';
import { insertApiToken, revokeApiToken } from '@/lib/server/db/repositories/api-tokens';
import { requestOrigin } from '@/lib/server/http/origin';
import { serverAction } from '@/lib/server/http/action';

const DAY_MS = 24 * 3600_000;

/**
 * Creates a personal API token for the signed-in user (audited as api_token.created). The token is
 * in this answer only: the database keeps its hash (docs/decisions/045-api-tokens.md).
 */
export const createApiTokenAction = serverAction('tokens.manage', createTokenSchema, async (input, actor) => {
  const { token, hash, hint } = generateApiToken();
  const now = new Date();
  const created = await insertApiToken(
    { userId: actor.id, name: input.name, hash, hint, scopes: input.scopes, expiresAt: new Date(now.getTime() + input.expiresInDays * DAY_MS) },
    actor,
    await requestOrigin(),
    now,
  );
  revalidatePath('/tokens');
  return { token, id: created.id, name: created.name, scopes: created.scopes, expiresAt: created.expiresAt };
});

/** Revokes one of the user's own tokens, or anyone's for security and admins (audited as api_token.revoked). */
export const revokeApiTokenAction = serverAction('tokens.manage', revokeTokenSchema, async ({ tokenId }, actor) => {
  const revoked = await revokeApiToken(tokenId, can(actor, 'tokens.revoke.any') ? null : actor.id, actor, await requestOrigin(), new Date());
  forgetApiToken(tokenId);
  revalidatePath('/tokens');
  return { id: revoked.id, revokedAt: revoked.revokedAt };
});
