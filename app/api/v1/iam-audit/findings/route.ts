import { findingsContentType, findingsFileName, findingsToCsv, findingsToJson } from '@/lib/iam-audit/export';
import { filterFindings } from '@/lib/iam-audit/rules';
import { findingsExportSchema } from '@/lib/iam-audit/schemas';
import { AppError } from '@/lib/errors';
import { parseQuery } from '@/lib/server/http/query';
import { route } from '@/lib/server/http/route';
import { iamAuditDeps } from '@/lib/server/iam-audit';

export const dynamic = 'force-dynamic';

/**
 * The last scan's findings as a CSV or JSON download (`?format=csv|json`, optional `kind` and
 * `severity` filters; any other format is a 400). The findings of one scan are bounded by the
 * account's size, so the file is built in memory rather than streamed.
 */
export const GET = route('iam.audit.read', async ({ request }) => {
  const { format, ...filter } = parseQuery(request, findingsExportSchema);
  const scan = await iamAuditDeps().store.latestScan();
  if (!scan) throw new AppError('NOT_FOUND', 'The account has not been scanned yet.');
  const findings = filterFindings(scan.findings, filter);
  const body = format === 'csv' ? findingsToCsv(findings, scan) : findingsToJson(findings, scan);
  return new Response(body, {
    headers: {
      'content-type': findingsContentType(format),
      'content-disposition': `attachment; filename="${findingsFileName(format, scan.finishedAt)}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
});
