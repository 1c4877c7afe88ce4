import { AppError } from '@/lib/errors';
import { route } from '@/lib/server/http/route';

/** The signed-in user: id, name, email, roles and teams. */
export const GET = route('me.read', async ({ actor }) => {
  if (!actor) throw new AppError('UNAUTHENTICATED', 'Sign in to continue.');
  return { user: actor };
});
