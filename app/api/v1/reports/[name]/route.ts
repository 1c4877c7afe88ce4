import { AppError } from '@/lib/errors';
import { encodeReportCsv, reportFileName } from '@/lib/reports/csv';
import { periodQuery, reportExportQuerySchema, reportNameSchema, resolveReportPeriod } from '@/lib/reports/schemas';
import { parseQuery } from '@/lib/server/http/query';
import { route } from '@/lib/server/http/route';
import { loadReport } from '@/lib/server/reports';

export const dynamic = 'force-dynamic';

/**
 * One report of a period (docs/decisions/051-reports.md) as JSON, or with ?format=csv a CSV
 * download: /api/v1/reports/<time-to-approve | requests | break-glass | grants | approver-load>.
 */
export const GET = route<{ name: string }>('reports.read', async ({ request, params }) => {
  const name = reportNameSchema.safeParse(params.name);
  if (!name.success) throw new AppError('NOT_FOUND', 'No such report.');
  const { format, ...query } = parseQuery(request, reportExportQuerySchema);
  const now = new Date();
  const resolved = resolveReportPeriod(query, now);
  if (!resolved.ok) throw new AppError('BAD_REQUEST', `${resolved.field}: ${resolved.message}`);
  const data = await loadReport(name.data, resolved.period, now);
  const days = periodQuery(resolved.period);
  if (format === 'json') return { report: name.data, period: days, data };
  return new Response(encodeReportCsv(name.data, data), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${reportFileName(name.data, days.from, days.to)}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
});
