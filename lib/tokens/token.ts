import { createHash, randomBytes } from 'node:crypto';

/** Every personal API token starts with this, so that secret scanners (and people) recognise one. */
export const TOKEN_PREFIX = 'gth_';
/** gth_ and 32 random bytes in base64url: 256 bits, so a fast hash is enough (docs/decisions/045-api-tokens.md). */
const TOKEN_SHAPE = /^gth_[A-Za-z0-9_-]{43}$/;

/** The SHA-256 (hex) of a token: what the database keeps and looks a Bearer call up by. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** True when the value has a token's shape (checked before any database lookup). */
export function looksLikeApiToken(value: string): boolean {
  return TOKEN_SHAPE.test(value);
}

/** A new token: the value (shown once), its hash (stored) and its last four characters (shown in lists). */
export function generateApiToken(): { token: string; hash: string; hint: string } {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashApiToken(token), hint: token.slice(-4) };
}
