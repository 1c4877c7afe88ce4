import 'server-only';
import { z } from 'zod';
import { deploymentIdSchema } from '@/lib/deployments/schemas';
import { decideDeployment, executeDeployment } from '@/lib/deployments/service';
import { deploymentDeps } from '@/lib/server/deployments/wiring';
import { requestOrigin } from '@/lib/server/http/origin';
import { route } from '@/lib/server/http/route';
import { safeText } from '@/lib/security/text';

const paramsSchema = z.object({ id: deploymentIdSchema });
const bodySchema = z.strictObject({ comment: safeText(z.string().trim().max(1000, 'Keep the comment under 1000 characters.')).default('') });

/** POST /api/v1/deployments/:id/approve | reject `{ comment? }`. */
export function decideDeploymentRoute(kind: 'APPROVE' | 'REJECT') {
  return route<{ id: string }>('deploy.approve', async ({ actor, params, body }) => {
    const { id } = paramsSchema.parse(params);
    const { comment } = bodySchema.parse(body ?? {});
    return decideDeployment(deploymentDeps(), actor, { id, kind, comment }, await requestOrigin());
  });
}

/** POST /api/v1/deployments/:id/execute: 409 when it is not approved, expired, or another deployment of the stack runs. */
export const executeDeploymentRoute = route<{ id: string }>('deploy.execute', async ({ actor, params }) => {
  const { id } = paramsSchema.parse(params);
  return executeDeployment(deploymentDeps(), actor, id, await requestOrigin());
});
