import { environmentOf } from '@/lib/environments';
import { historyQuerySchema, planInputSchema } from '@/lib/deployments/schemas';
import { planDeployment } from '@/lib/deployments/service';
import { listDeploymentHistory } from '@/lib/server/db/repositories/deployments';
import { deploymentDeps } from '@/lib/server/deployments/wiring';
import { requestOrigin } from '@/lib/server/http/origin';
import { parseQuery } from '@/lib/server/http/query';
import { route } from '@/lib/server/http/route';

/** Deployments, newest first (?environment=dev|staging|prod, ?status=, ?limit=). */
export const GET = route('deploy.read', async ({ request }) => {
  const q = parseQuery(request, historyQuerySchema);
  return {
    deployments: await listDeploymentHistory({ environment: q.environment ? environmentOf(q.environment) : undefined, status: q.status, limit: q.limit }),
  };
});

/** Plans a deployment: `{ environment, parameters?, sandboxFailResource? }` -> 201 `{ id, status }`. */
export const POST = route('deploy.plan', async ({ actor, body }) => {
  const input = planInputSchema.parse(body);
  const result = await planDeployment(deploymentDeps(), actor, input, await requestOrigin());
  return Response.json(result, { status: 201, headers: { 'cache-control': 'no-store' } });
});
