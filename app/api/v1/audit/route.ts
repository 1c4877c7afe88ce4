import { auditFilterSchema } from '@/lib/audit/schemas';
import { listAuditEventsJson } from '@/lib/server/db/repositories/audit';
import { parseQuery } from '@/lib/server/http/query';
import { jsonText, route } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/** One page of the audit history, newest first; `nextCursor` fetches the next (older) page. Bad filters, and parameters it does not take, answer 400. */
export const GET = route('audit.read', async ({ request }) => {
  const filter = parseQuery(request, auditFilterSchema);
  // The database writes the page's JSON (decision 023); it is sent as it comes.
  return jsonText(await listAuditEventsJson(filter));
});
