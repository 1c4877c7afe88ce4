import { route } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/** Liveness: the process answers (no dependency checked; /api/health is readiness). */
export const GET = route('health.read', async () => ({ ok: true }));
