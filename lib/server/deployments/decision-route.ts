import 'server-only';
import { decideInputSchema, executeInputSchema } from '@/lib/deployments/schemas';
import { decideDeployment, executeDeployment } from '@/lib/deployments/service';
import { deploymentDeps } from '@/lib/server/deployments/wiring';
import { idRoute } from '@/lib/server/http/id-route';

/** POST /api/v1/deployments/:id/approve | reject `{ comment?, confirmStackName? }`: a prod plan with warnings needs the stack name (422 otherwise). */
export function decideDeploymentRoute(kind: 'APPROVE' | 'REJECT') {
  return idRoute('deploy.approve', decideInputSchema, 'id', (input, actor, origin) => decideDeployment(deploymentDeps(), actor, input, origin), { kind });
}

/** POST /api/v1/deployments/:id/execute: 409 when it is not approved, expired, or another deployment of the stack runs. */
export const executeDeploymentRoute = idRoute('deploy.execute', executeInputSchema, 'id', (input, actor, origin) =>
  executeDeployment(deploymentDeps(), actor, input.id, origin),
);
