import 'server-only';
import { getServerSession } from 'next-auth';
import { forbidden, redirect } from 'next/navigation';
import { cache } from 'react';
import { AppError } from '@/lib/errors';
import type { Actor } from '@/lib/identity/actor';
import { authOptions } from '@/lib/server/auth/options';
import { can, isPublicAction, type Action } from '@/lib/server/auth/permissions';

/** The signed-in, active user of this request, or null. One session read per request. */
export const getActor = cache(async (): Promise<Actor | null> => {
  const session = await getServerSession(authOptions());
  return session?.user ?? null;
});

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
