import { AppError } from '@/lib/errors';
import { environmentOf } from '@/lib/environments';
import { driftInputSchema } from '@/lib/deployments/schemas';
import { startDriftDetection } from '@/lib/deployments/service';
import { listEnvironmentDeployments } from '@/lib/server/db/repositories/deployments';
import { deploymentDeps } from '@/lib/server/deployments/wiring';
import { requestOrigin } from '@/lib/server/http/origin';
import { parseQuery } from '@/lib/server/http/query';
import { route } from '@/lib/server/http/route';

/** The environment's last drift check (?environment=dev|staging|prod) with its drifted resources. */
export const GET = route('deploy.read', async ({ request }) => {
  const { environment } = parseQuery(request, driftInputSchema);
  const { lastDrift } = await listEnvironmentDeployments(environmentOf(environment));
  if (!lastDrift) throw new AppError('NOT_FOUND', `Drift was never checked on ${environment}.`);
  return { check: lastDrift };
});

/** Runs drift detection: `{ environment }` -> 202 `{ id, status }` (COMPLETE at once when CloudFormation is quick). */
export const POST = route('deploy.drift', async ({ actor, body }) => {
  const { environment } = driftInputSchema.parse(body);
  const result = await startDriftDetection(deploymentDeps(), actor, environment, await requestOrigin());
  return Response.json(result, { status: 202, headers: { 'cache-control': 'no-store' } });
});
