import { costOverviewQuerySchema } from '@/lib/costs/schemas';
import { getCostOverview } from '@/lib/server/costs';
import { parseQuery } from '@/lib/server/http/query';
import { route } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/**
 * The cost overview (month to date, last month, forecast with its band, daily and monthly cost by
 * service, by env and team, top movers) from the shared Cost Explorer cache, with "data as of" and
 * this month's paid requests. Filters: basis=unblended|amortized, env, team; bad ones answer 400.
 */
export const GET = route('costs.read', async ({ request }) => {
  const query = parseQuery(request, costOverviewQuerySchema);
  return getCostOverview(query);
});
