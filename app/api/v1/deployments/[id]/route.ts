import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { deploymentIdSchema } from '@/lib/deployments/schemas';
import { loadLiveDeployment } from '@/lib/server/deployments/queries';
import { route } from '@/lib/server/http/route';

const paramsSchema = z.object({ id: deploymentIdSchema });

/** One deployment as the page polls it: status, progress, failure, rollback and the latest events (newest first). */
export const GET = route<{ id: string }>('deploy.read', async ({ params }) => {
  const { id } = paramsSchema.parse(params);
  const loaded = await loadLiveDeployment(id);
  if (!loaded) throw new AppError('NOT_FOUND', 'No such deployment.');
  return loaded.live;
});
