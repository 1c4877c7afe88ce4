import { z } from 'zod';
import { findVisibleRequestOrThrow } from '@/lib/server/access-queries';
import { findGrantView } from '@/lib/server/db/repositories/grants';
import { listDecisionViews } from '@/lib/server/db/repositories/requests-read';
import { route } from '@/lib/server/http/route';
import { safeText } from '@/lib/security/text';

const paramsSchema = z.object({ id: safeText(z.string().min(1).max(64)) });

/** One request with its decisions, if the caller may see it. */
export const GET = route<{ id: string }>('request.read', async ({ actor, params }) => {
  const { id } = paramsSchema.parse(params);
  const request = await findVisibleRequestOrThrow(actor, id);
  const [decisions, grant] = await Promise.all([listDecisionViews(id), findGrantView(id)]);
  return { request, decisions, grant };
});
