import 'server-only';
import { decode } from 'next-auth/jwt';
import { cookies } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { cache } from 'react';
import { AppError } from '@/lib/errors';
import type { Actor } from '@/lib/identity/actor';
import { authSecret } from '@/lib/server/auth/secret';
import { findActiveActor } from '@/lib/server/db/repositories/users';
import { can, isPublicAction, type Action } from '@/lib/server/auth/permissions';

// next-auth's cookie: the __Secure- variant when the portal is served over https.
const SESSION_COOKIES = ['__Secure-next-auth.session-token', 'next-auth.session-token'];

/**
 * The signed-in, active user of this request, or null; read once per request. The session cookie
 * is decrypted here directly (what getServerSession does, without running next-auth's whole
 * handler on every request: it was the dominant cost of every API call), then the user is loaded
 * fresh, so role changes and deactivations apply at once. Sessions end 8 h after sign-in.
 */
export const getActor = cache(async (): Promise<Actor | null> => {
  const jar = await cookies();
  const value = SESSION_COOKIES.map((name) => jar.get(name)?.value).find(Boolean);
  if (!value) return null;
  const uid = await sessionUserId(value);
  return uid ? loadActor(uid) : null;
});

// Decrypting a session cookie (HKDF + AES-GCM) costs more than the rest of a cached API call: the
// decoded user id is kept per cookie value until the token's own expiry. A different or tampered
// cookie is a different key, so it is decrypted (and refused) as before.
const SESSIONS_MAX = 10_000;
const sessions = new Map<string, { uid: string | null; until: number }>();

async function sessionUserId(value: string): Promise<string | null> {
  const now = Date.now();
  const hit = sessions.get(value);
  if (hit && hit.until > now) return hit.uid;
  const token = await decode({ token: value, secret: authSecret() }).catch(() => null);
  const uid = typeof token?.uid === 'string' ? token.uid : null;
  // Unreadable cookies are remembered briefly too, so that garbage costs one decryption a minute.
  const until = uid && typeof token?.exp === 'number' ? Math.min(token.exp * 1000, now + 60 * 60_000) : now + 60_000;
  if (sessions.size >= SESSIONS_MAX) sessions.delete(sessions.keys().next().value as string);
  sessions.set(value, { uid, until });
  return uid;
}

// Users are re-read at most every ACTOR_TTL_MS per process: a role change or a deactivation
// reaches every replica within that time, and a polling page costs no query per call
// (docs/decisions/003-auth.md).
const ACTOR_TTL_MS = 3_000;
const actors = new Map<string, { at: number; actor: Promise<Actor | null> }>();

function loadActor(id: string): Promise<Actor | null> {
  const now = Date.now();
  const hit = actors.get(id);
  if (hit && now - hit.at < ACTOR_TTL_MS) return hit.actor;
  if (actors.size > 10_000) actors.clear();
  const actor = findActiveActor(id);
  actors.set(id, { at: now, actor });
  actor.catch(() => actors.delete(id));
  return actor;
}

/** Throws UNAUTHENTICATED (401) or FORBIDDEN (403) unless the actor may perform the action. */
export function authorize(actor: Actor | null, action: Action): void {
  if (can(actor, action)) return;
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
