import { z } from 'zod';
import { requestIdSchema } from '@/lib/access/schemas';
import { findVisibleRequestOrThrow } from '@/lib/server/access-queries';
import { findGrantView } from '@/lib/server/db/repositories/grants';
import { listDecisionViews } from '@/lib/server/db/repositories/requests-read';
import { route } from '@/lib/server/http/route';

const paramsSchema = z.object({ id: requestIdSchema });

/** One request with its decisions, if the caller may see it. */
export const GET = route<{ id: string }>('request.read', async ({ actor, params }) => {
  const { id } = paramsSchema.parse(params);
  const request = await findVisibleRequestOrThrow(actor, id);
  const [decisions, grant] = await Promise.all([listDecisionViews(id), findGrantView(id)]);
  return { request, decisions, grant };
});
