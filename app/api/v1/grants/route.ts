import { listOwnOpenGrants } from '@/lib/server/db/repositories/my-grants';
import { route } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/** The caller's own grants that give or will give access, with what the CLI needs to use them (ARNs, role setup). */
export const GET = route('request.read', async ({ actor }) => ({ grants: await listOwnOpenGrants(actor.id), serverTime: new Date().toISOString() }));
