import 'server-only';
import { AppError } from '@/lib/errors';
import type { Actor } from '@/lib/identity/actor';
import { hashApiToken, looksLikeApiToken } from '@/lib/tokens/token';
import { getActor, loadActor } from '@/lib/server/auth/guards';
import { findApiTokenByHash, recordApiTokenUse, type ApiTokenAuth } from '@/lib/server/db/repositories/api-tokens';
import { requestOrigin } from '@/lib/server/http/origin';
import { singleton } from '@/lib/server/singleton';

// Tokens are re-read at most this often per process: a revocation (or expiry, checked on every
// call) reaches every replica within it, as a sign-out does for sessions (docs/decisions/031, 045).
const TOKEN_TTL_MS = 3_000;
/** The last-used time is written at most once a minute per token, not on every call. */
const STAMP_EVERY_MS = 60_000;
/** A use is audited when the token had not been used for an hour (or ever): its first use per period. */
const AUDIT_USE_AFTER_MS = 60 * 60_000;

const REFUSED = 'The API token is unknown, expired or revoked, or its user is deactivated. Create a new one on the portal’s token page.';

const { tokens, hashes, stamped } = singleton('auth.tokens', () => ({
  tokens: new Map<string, { at: number; token: Promise<ApiTokenAuth | null> }>(),
  hashes: new Map<string, string>(),
  stamped: new Map<string, number>(),
}));

function loadToken(hash: string): Promise<ApiTokenAuth | null> {
  const now = Date.now();
  const hit = tokens.get(hash);
  if (hit && now - hit.at < TOKEN_TTL_MS) return hit.token;
  if (tokens.size > 10_000) tokens.clear();
  const token = findApiTokenByHash(hash);
  tokens.set(hash, { at: now, token });
  token.catch(() => tokens.delete(hash));
  return token;
}

/**
 * The caller of an API route (lib/server/http/route.ts). With an `Authorization` header, only that
 * header counts: a valid personal API token gives its user (re-read like a session's, so a role
 * change re-scopes and a deactivation refuses) limited to the token's scopes; anything else is a
 * 401, whatever cookie comes with it. Without one, the session cookie (getActor). Pages and server
 * actions never call this: tokens do not work there (docs/decisions/045-api-tokens.md).
 */
export async function getApiActor(request: Request): Promise<Actor | null> {
  const header = request.headers.get('authorization');
  if (header === null) return getActor();
  const value = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  if (!value || !looksLikeApiToken(value))
    throw new AppError('UNAUTHENTICATED', 'Send a personal API token as "Authorization: Bearer gth_…", or no Authorization header at all.');
  const hash = hashApiToken(value);
  const token = await loadToken(hash);
  const now = Date.now();
  if (token) hashes.set(token.id, hash);
  if (!token || token.revokedAt || token.expiresAt.getTime() <= now) throw new AppError('UNAUTHENTICATED', REFUSED);
  const user = await loadActor(token.userId);
  if (!user) throw new AppError('UNAUTHENTICATED', REFUSED);
  const actor: Actor = { ...user, token: { id: token.id, scopes: token.scopes } };
  await noteUse(token, actor, now);
  return actor;
}

/** Stamps the last use (and audits the first use per period) at most once a minute per token and process. */
async function noteUse(token: ApiTokenAuth, actor: Actor, now: number): Promise<void> {
  const last = stamped.get(token.id) ?? token.lastUsedAt?.getTime() ?? 0;
  if (now - last < STAMP_EVERY_MS) return;
  if (stamped.size > 10_000) {
    stamped.clear();
    hashes.clear();
  }
  stamped.set(token.id, now);
  try {
    await recordApiTokenUse(token.id, actor, await requestOrigin(), new Date(now), { stampEveryMs: STAMP_EVERY_MS, auditAfterMs: AUDIT_USE_AFTER_MS });
  } catch (e) {
    // Not stamped nor audited: this call fails (an unaudited use is not allowed) and the next one tries again.
    stamped.delete(token.id);
    throw e;
  }
}

/** Drops a token from this process's cache (after it was revoked here): refused at once. */
export function forgetApiToken(tokenId: string): void {
  const hash = hashes.get(tokenId);
  if (hash) tokens.delete(hash);
}
