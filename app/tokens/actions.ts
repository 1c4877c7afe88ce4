'use server';

import { revalidatePath } from 'next/cache';
import { createTokenSchema, revokeTokenSchema } from '@/lib/tokens/schemas';
import { requestOrigin } from '@/lib/server/http/origin';
import { serverAction } from '@/lib/server/http/action';
import { createApiToken, revokeApiTokenAs } from '@/lib/server/tokens';

/** Creates a personal API token for the signed-in user; the answer is the only place the token ever appears. */
export const createApiTokenAction = serverAction('tokens.manage', createTokenSchema, async (input, actor) => {
  const created = await createApiToken(actor, input, await requestOrigin());
  revalidatePath('/tokens');
  return created;
});

/** Revokes one of the user's own tokens, or anyone's for security and admins. */
export const revokeApiTokenAction = serverAction('tokens.manage', revokeTokenSchema, async ({ tokenId }, actor) => {
  const revoked = await revokeApiTokenAs(actor, tokenId, await requestOrigin());
  revalidatePath('/tokens');
  return revoked;
});
