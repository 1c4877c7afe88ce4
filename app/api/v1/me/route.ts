import { route } from '@/lib/server/http/route';

/** The signed-in user: id, name, email, roles and teams (an anonymous caller is refused with 401 first). */
export const GET = route('me.read', async ({ actor }) => ({ user: actor }));
