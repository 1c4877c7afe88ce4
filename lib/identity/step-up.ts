import { AppError } from '@/lib/errors';
import type { Environment } from '@/lib/environments';
import type { Actor } from '@/lib/identity/actor';

/** STEP_UP_MAX_AGE_MINUTES's default: a prod decision needs a sign-in from the last quarter of an hour. */
export const DEFAULT_STEP_UP_MAX_AGE_MINUTES = 15;

/** Environments whose decisions need a recent sign-in (docs/decisions/046-step-up.md). */
export function needsStepUp(environment: Environment): boolean {
  return environment === 'PROD';
}

/**
 * Whether a sign-in at `authTime` is recent enough at `now`. No sign-in time (a session issued
 * before sessions carried one, an API token, a Slack user) is never fresh; a sign-in time in the
 * future (a clock skewed by more than a minute) is not trusted either.
 */
export function isStepUpFresh(authTime: Date | null | undefined, now: Date, maxAgeMinutes: number): boolean {
  if (!authTime || Number.isNaN(authTime.getTime())) return false;
  const age = now.getTime() - authTime.getTime();
  return age <= maxAgeMinutes * 60_000 && age >= -60_000;
}

/**
 * Throws STEP_UP_REQUIRED (403) when deciding in `environment` needs a more recent sign-in than the
 * actor's; callers check it before writing anything.
 */
export function assertRecentSignIn(actor: Pick<Actor, 'signedInAt'>, environment: Environment, now: Date, maxAgeMinutes: number): void {
  if (!needsStepUp(environment) || isStepUpFresh(actor.signedInAt, now, maxAgeMinutes)) return;
  throw new AppError(
    'STEP_UP_REQUIRED',
    `Sign in again to decide on prod: deciding on a prod request needs a sign-in from the last ${maxAgeMinutes} minutes, in the portal.`,
    { maxAgeMinutes },
  );
}
