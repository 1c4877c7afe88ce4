import { listApprovalQueue } from '@/lib/server/db/repositories/requests-read';
import { route } from '@/lib/server/http/route';

/** Pending requests the caller may decide, oldest first. */
export const GET = route('request.decide', async ({ actor }) => ({ requests: await listApprovalQueue(actor, new Date()) }));
