import 'server-only';
import { decode } from 'next-auth/jwt';
import { cookies } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { cache } from 'react';
import { AppError } from '@/lib/errors';
import type { Actor } from '@/lib/identity/actor';
import { authSecret } from '@/lib/server/auth/secret';
import { isSessionRevoked, revokeSession } from '@/lib/server/db/repositories/sessions';
import { findActiveActor } from '@/lib/server/db/repositories/users';
import { can, isPublicAction, tokenRefusal, type Action } from '@/lib/server/auth/permissions';
import { singleton } from '@/lib/server/singleton';

// next-auth's cookie: the __Secure- variant when the portal is served over https.
export const SESSION_COOKIES = ['__Secure-next-auth.session-token', 'next-auth.session-token'];

/** What a session cookie says: the user, the session's id (fixed at sign-in) and when it expires. */
export interface SessionClaims {
  uid: string;
  sid: string;
  /** Seconds since the epoch. */
  exp: number;
  /** When the user signed in, seconds since the epoch; absent in sessions from before it was kept (docs/decisions/046-step-up.md). */
  authTime?: number;
}

/**
 * The signed-in, active user of this request, or null; read once per request. The session cookie
 * is decrypted here directly (what getServerSession does, without running next-auth's whole
 * handler on every request: it was the dominant cost of every API call). Then the session must not
 * have been ended on the server (sign-out), and the user is loaded from the database, so a role
 * change re-scopes and a deactivation ends every session of that user within ACTOR_TTL_MS
 * (docs/decisions/031-web-inputs-and-sessions.md). Sessions end 8 h after sign-in at the latest.
 */
export const getActor = cache(async (): Promise<Actor | null> => {
  const claims = await currentSessionClaims();
  const actor = claims ? await actorForSession(claims) : null;
  // The sign-in time belongs to this session, not to the user: it rides on a copy of the cached actor.
  return actor && { ...actor, signedInAt: claims?.authTime ? new Date(claims.authTime * 1000) : null };
});

/** What this request's session cookie says, or null (no cookie, unreadable, not a session). */
export async function currentSessionClaims(): Promise<SessionClaims | null> {
  const jar = await cookies();
  const value = SESSION_COOKIES.map((name) => jar.get(name)?.value).find(Boolean);
  return value ? sessionClaims(value) : null;
}

/** The actor of a live session: null when it was ended on the server or the user is unknown or deactivated. */
export async function actorForSession(claims: Pick<SessionClaims, 'uid' | 'sid'>): Promise<Actor | null> {
  const [revoked, actor] = await Promise.all([sessionRevoked(claims.sid), loadActor(claims.uid)]);
  return revoked ? null : actor;
}

/**
 * Ends a session on the server (next-auth's sign-out event): its cookie is refused from now on by
 * every replica, here at once and elsewhere within ACTOR_TTL_MS. A token without a session id
 * (never issued since sessions carry one) is refused anyway.
 */
export async function endSession(token: { uid?: unknown; sid?: unknown; exp?: unknown }): Promise<void> {
  if (typeof token.sid !== 'string' || typeof token.uid !== 'string') return;
  const expiresAt = new Date(typeof token.exp === 'number' ? token.exp * 1000 : Date.now() + 24 * 3600_000);
  await revokeSession({ id: token.sid, userId: token.uid, expiresAt });
  revocations.set(token.sid, { at: Date.now(), revoked: Promise.resolve(true) });
}

// Decrypting a session cookie (HKDF + AES-GCM) costs more than the rest of a cached API call: the
// decoded claims are kept per cookie value until the token's own expiry. A different or tampered
// cookie is a different key, so it is decrypted (and refused) as before.
const SESSIONS_MAX = 10_000;

// Next.js bundles this module into each route, page and action separately: the caches are one per
// process so that every copy shares them, and a sign-out handled by next-auth's route is seen at
// once by the pages and the API of the same process.
const { sessions, actors, revocations } = singleton('auth.caches', () => ({
  sessions: new Map<string, { claims: SessionClaims | null; until: number }>(),
  actors: new Map<string, { at: number; actor: Promise<Actor | null> }>(),
  revocations: new Map<string, { at: number; revoked: Promise<boolean> }>(),
}));

async function sessionClaims(value: string): Promise<SessionClaims | null> {
  const now = Date.now();
  const hit = sessions.get(value);
  if (hit && hit.until > now) return hit.claims;
  const token = await decode({ token: value, secret: authSecret() }).catch(() => null);
  // A cookie without a session id cannot be ended on the server: it is not a session.
  const claims =
    typeof token?.uid === 'string' && typeof token.sid === 'string' && typeof token.exp === 'number'
      ? { uid: token.uid, sid: token.sid, exp: token.exp, ...(typeof token.authTime === 'number' ? { authTime: token.authTime } : {}) }
      : null;
  // Unreadable cookies are remembered briefly too, so that garbage costs one decryption a minute.
  const until = claims ? Math.min(claims.exp * 1000, now + 60 * 60_000) : now + 60_000;
  if (sessions.size >= SESSIONS_MAX) sessions.delete(sessions.keys().next().value as string);
  sessions.set(value, { claims, until });
  return claims;
}

// Users and session revocations are re-read at most every ACTOR_TTL_MS per process: a sign-out, a
// role change or a deactivation reaches every replica within that time (the database is the
// truth), and a polling page costs no query per call (docs/decisions/003-auth.md, 031).
const ACTOR_TTL_MS = 3_000;

/** The active user, re-read at most every ACTOR_TTL_MS: sessions and API tokens (lib/server/auth/tokens.ts) share it. */
export function loadActor(id: string): Promise<Actor | null> {
  const now = Date.now();
  const hit = actors.get(id);
  if (hit && now - hit.at < ACTOR_TTL_MS) return hit.actor;
  if (actors.size > 10_000) actors.clear();
  const actor = findActiveActor(id);
  actors.set(id, { at: now, actor });
  actor.catch(() => actors.delete(id));
  return actor;
}

function sessionRevoked(sid: string): Promise<boolean> {
  const now = Date.now();
  const hit = revocations.get(sid);
  if (hit && now - hit.at < ACTOR_TTL_MS) return hit.revoked;
  if (revocations.size > 10_000) revocations.clear();
  const revoked = isSessionRevoked(sid);
  revocations.set(sid, { at: now, revoked });
  revoked.catch(() => revocations.delete(sid));
  return revoked;
}

/** Throws UNAUTHENTICATED (401) or FORBIDDEN (403) unless the actor may perform the action. */
export function authorize(actor: Actor | null, action: Action): void {
  if (can(actor, action)) return;
  // An API token caller refused by the token's scopes is told so (docs/decisions/045-api-tokens.md).
  const refusal = actor?.token ? tokenRefusal(actor.token, action) : null;
  if (refusal) throw new AppError('FORBIDDEN', refusal);
  if (!actor && !isPublicAction(action)) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
  throw new AppError('FORBIDDEN', `Your roles do not allow ${action}.`);
}

/** For pages: the signed-in user, or a redirect to the sign-in page that comes back to `returnTo`. */
export async function requireUser(returnTo: string): Promise<Actor> {
  const actor = await getActor();
  if (!actor) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return actor;
}

/** For pages: the signed-in user allowed to perform the action; renders app/forbidden.tsx (403) otherwise. */
export async function requirePermission(action: Action, returnTo: string): Promise<Actor> {
  const actor = await requireUser(returnTo);
  if (!can(actor, action)) forbidden();
  return actor;
}

/** Drops a user from this process's cache (after an admin changed them here). */
export function forgetActor(id: string): void {
  actors.delete(id);
}
