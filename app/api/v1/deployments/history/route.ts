import { environmentOf } from '@/lib/environments';
import { formatHistoryCsv } from '@/lib/deployments/history-csv';
import { historyQuerySchema } from '@/lib/deployments/schemas';
import { listDeploymentHistory } from '@/lib/server/db/repositories/deployments';
import { parseQuery } from '@/lib/server/http/query';
import { route } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/** Every deployment with who planned, approved and executed it, as JSON or (?format=csv) a CSV download. */
export const GET = route('deploy.read', async ({ request }) => {
  const q = parseQuery(request, historyQuerySchema);
  const filter = { environment: q.environment ? environmentOf(q.environment) : undefined, status: q.status };
  if (q.format === 'json') return { deployments: await listDeploymentHistory({ ...filter, limit: q.limit }) };
  // Deployments are few (tens a week): the export is every one of them, in one answer.
  const rows = await listDeploymentHistory({ ...filter, limit: 100_000 });
  return new Response(formatHistoryCsv(rows), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="gatehouse-deployments-${new Date().toISOString().slice(0, 10)}.csv"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
});
