import 'server-only';
import { randomUUID } from 'node:crypto';
import { decode, encode } from 'next-auth/jwt';
import { cookies } from 'next/headers';
import type { RequestOrigin } from '@/lib/audit/model';
import { AppError } from '@/lib/errors';
import type { Environment } from '@/lib/environments';
import type { Actor } from '@/lib/identity/actor';
import { assertRecentSignIn, isStepUpFresh, needsStepUp } from '@/lib/identity/step-up';
import { authSecret } from '@/lib/server/auth/secret';
import { endSession, SESSION_COOKIES, type SessionClaims } from '@/lib/server/auth/guards';
import { recordStepUp } from '@/lib/server/db/repositories/step-ups';
import { env } from '@/lib/server/env';

// Prod step-up (docs/decisions/046-step-up.md): the rule is lib/identity/step-up.ts and is enforced
// in decideRequest; this module gives it the configured limit and lets a session step up.

/** Sessions end this long after sign-in at the latest (next-auth's maxAge). */
export const SESSION_MAX_AGE_SECONDS = 8 * 3600;

/**
 * Throws STEP_UP_REQUIRED (403) when the actor's sign-in is too old to decide in `environment`.
 * decideRequest enforces the same rule; this lets a transport (Slack, API tokens) refuse early.
 * @public
 */
export function requireRecentSignIn(actor: Pick<Actor, 'signedInAt'>, environment: Environment, now: Date = new Date()): void {
  assertRecentSignIn(actor, environment, now, env().STEP_UP_MAX_AGE_MINUTES);
}

/** For pages: whether deciding in `environment` first needs the "Confirm it's you" step. */
export function stepUpNeeded(actor: Pick<Actor, 'signedInAt'>, environment: Environment, now: Date = new Date()): boolean {
  return needsStepUp(environment) && !isStepUpFresh(actor.signedInAt, now, env().STEP_UP_MAX_AGE_MINUTES);
}

/**
 * The sign-in time of a new session, seconds since the epoch. Local sign-in: now. Single sign-on:
 * the id_token's auth_time (when the user last authenticated at the identity provider, which may
 * be long before this sign-in); absent or more than a minute in the future, none (the session
 * counts as old until the user signs in again with max_age).
 */
export function signInTimeOf(provider: string | undefined, idTokenClaims: unknown, now: Date = new Date()): number | undefined {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (provider !== 'oidc') return nowSeconds;
  const authTime = (idTokenClaims as { auth_time?: unknown } | null | undefined)?.auth_time;
  if (typeof authTime !== 'number' || !Number.isFinite(authTime) || authTime > nowSeconds + 60) return undefined;
  return Math.floor(authTime);
}

/**
 * At a single sign-on that replaces a session of the same user in this browser (the max_age
 * round trip of "Confirm it's you"): the step-up is audited and the replaced session ended.
 */
export async function noteReSignIn(
  previous: SessionClaims | null,
  next: { uid?: string; authTime?: number },
  actor: Pick<Actor, 'id' | 'name'>,
  origin: RequestOrigin | null,
) {
  if (!previous || previous.uid !== next.uid || next.uid !== actor.id || next.authTime === undefined) return;
  await recordStepUp(
    { actor, method: 'sso', before: previous.authTime ? new Date(previous.authTime * 1000) : null, after: new Date(next.authTime * 1000) },
    origin,
  );
  await endSession(previous);
}

/**
 * Local sign-in only: the user confirms it is them, and this browser's session is issued again
 * with a new sign-in time and a new id (the old cookie is ended on the server). Audited.
 */
export async function confirmLocalSignIn(
  actor: Pick<Actor, 'id' | 'name' | 'signedInAt'>,
  requestId: string | null,
  origin: RequestOrigin | null,
): Promise<void> {
  if (env().GATEHOUSE_AUTH !== 'local') throw new AppError('BAD_REQUEST', 'With single sign-on, confirm by signing in again at the identity provider.');
  const jar = await cookies();
  const name = SESSION_COOKIES.find((n) => jar.get(n)?.value);
  const token = name ? await decode({ token: jar.get(name)!.value, secret: authSecret() }).catch(() => null) : null;
  if (!name || !token || token.uid !== actor.id) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
  const now = new Date();
  const authTime = Math.floor(now.getTime() / 1000);
  const value = await encode({ token: { ...token, sid: randomUUID(), authTime }, secret: authSecret(), maxAge: SESSION_MAX_AGE_SECONDS });
  await recordStepUp({ actor, method: 'local', before: actor.signedInAt ?? null, after: new Date(authTime * 1000), requestId }, origin);
  await endSession(token);
  jar.set(name, value, { httpOnly: true, sameSite: 'lax', path: '/', secure: name.startsWith('__Secure-'), maxAge: SESSION_MAX_AGE_SECONDS });
}
