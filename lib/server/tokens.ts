import 'server-only';
import type { RequestOrigin } from '@/lib/audit/model';
import type { Actor } from '@/lib/identity/actor';
import type { CreateTokenInput } from '@/lib/tokens/schemas';
import { generateApiToken } from '@/lib/tokens/token';
import { can } from '@/lib/server/auth/permissions';
import { forgetApiToken } from '@/lib/server/auth/tokens';
import { insertApiToken, revokeApiToken } from '@/lib/server/db/repositories/api-tokens';

const DAY_MS = 24 * 3600_000;

/**
 * Makes a personal API token for the actor (audited as api_token.created). The token is in this
 * answer only: the database keeps its SHA-256 (docs/decisions/045-api-tokens.md).
 */
export async function createApiToken(actor: Actor, input: CreateTokenInput, origin: RequestOrigin | null) {
  const { token, hash, hint } = generateApiToken();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + input.expiresInDays * DAY_MS);
  const created = await insertApiToken({ userId: actor.id, name: input.name, hash, hint, scopes: input.scopes, expiresAt }, actor, origin, now);
  return { token, id: created.id, name: created.name, scopes: created.scopes, expiresAt: created.expiresAt };
}

/**
 * Revokes a token (audited as api_token.revoked): one's own, or anyone's for security and admins
 * (tokens.revoke.any). This process refuses it at once; other replicas within seconds.
 */
export async function revokeApiTokenAs(actor: Actor, tokenId: string, origin: RequestOrigin | null) {
  const revoked = await revokeApiToken(tokenId, can(actor, 'tokens.revoke.any') ? null : actor.id, actor, origin, new Date());
  forgetApiToken(tokenId);
  return { id: revoked.id, revokedAt: revoked.revokedAt };
}
