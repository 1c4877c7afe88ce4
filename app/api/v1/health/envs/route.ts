import { environmentHealth } from '@/lib/server/alarms/wiring';
import { route } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/** Each environment's health: the latest check of its health URL, since when it fails, and the last 24 h. */
export const GET = route('alarms.read', async () => ({ environments: await environmentHealth(), serverTime: new Date().toISOString() }));
