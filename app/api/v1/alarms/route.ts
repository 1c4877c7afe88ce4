import { overviewQuerySchema } from '@/lib/alarms/schemas';
import { overviewJson } from '@/lib/server/alarms/overview-json';
import { parseQuery } from '@/lib/server/http/query';
import { jsonText, route } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/**
 * The alarm overview (polled by the page): counts per environment, the alarms filtered by
 * state / env / service / q, sorted and grouped; each source with when it was fetched and what
 * failed. Unknown parameters and values are a 400.
 */
export const GET = route('alarms.read', async ({ request }) => {
  const query = parseQuery(request, overviewQuerySchema);
  return jsonText(await overviewJson(query));
});
