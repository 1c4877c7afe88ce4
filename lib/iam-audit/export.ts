import { formatCsvField } from '@/lib/audit/export-format';
import type { Finding } from '@/lib/iam-audit/rules';

/** The scan an export is taken from: it travels with the findings so a file says how old it is. */
export interface ExportedScan {
  id: string;
  finishedAt: Date;
  startedByName: string;
}

export type FindingsExportFormat = 'csv' | 'json';

/** The CSV columns, in order (the header row). */
export const FINDINGS_CSV_COLUMNS = [
  'id',
  'severity',
  'kind',
  'principal_type',
  'principal_name',
  'principal_arn',
  'policy_type',
  'policy_name',
  'policy_arn',
  'policy_owner_arn',
  'statement_index',
  'statement',
  'why',
  'suggested_statement',
  'suggestion_fill_in',
  'scan_id',
  'scanned_at',
] as const;

// RFC 4180 ends records with CRLF; spreadsheet programs expect it.
const CRLF = '\r\n';

function json(value: unknown): string {
  return value === null || value === undefined ? '' : JSON.stringify(value);
}

/** One finding as the cells of a CSV row, in the order of FINDINGS_CSV_COLUMNS. */
function cells(f: Finding, scan: ExportedScan): string[] {
  const p = f.policy;
  return [
    f.id,
    f.severity,
    f.kind,
    f.principal.type,
    f.principal.name,
    f.principal.arn,
    p ? (p.kind === 'inline' ? 'inline' : p.awsManaged ? 'aws-managed' : 'managed') : '',
    p?.name ?? '',
    p?.kind === 'managed' ? p.arn : '',
    p?.kind === 'inline' ? p.ownerArn : '',
    f.statementIndex === null ? '' : String(f.statementIndex),
    json(f.statement),
    f.why,
    json(f.suggestion?.statement),
    f.suggestion?.fillIn.join(' ') ?? '',
    scan.id,
    scan.finishedAt.toISOString(),
  ];
}

/**
 * The findings as CSV (RFC 4180: CRLF, quoted fields with doubled quotes; formula-like cells
 * defused the way the audit export does), header first.
 */
export function findingsToCsv(findings: readonly Finding[], scan: ExportedScan): string {
  const lines = [FINDINGS_CSV_COLUMNS.join(','), ...findings.map((f) => cells(f, scan).map(formatCsvField).join(','))];
  return lines.join(CRLF) + CRLF;
}

/** The findings as a JSON document: the scan it comes from, then every finding as stored. */
export function findingsToJson(findings: readonly Finding[], scan: ExportedScan): string {
  return `${JSON.stringify({ scan: { id: scan.id, scannedAt: scan.finishedAt.toISOString(), startedBy: scan.startedByName }, count: findings.length, findings }, null, 2)}\n`;
}

const MEDIA_TYPES: Record<FindingsExportFormat, string> = { csv: 'text/csv; charset=utf-8', json: 'application/json' };

/** The Content-Type of an export. */
export function findingsContentType(format: FindingsExportFormat): string {
  return MEDIA_TYPES[format];
}

/** The download's file name, with the scan's date (UTC). */
export function findingsFileName(format: FindingsExportFormat, scannedAt: Date): string {
  return `gatehouse-iam-findings-${scannedAt.toISOString().slice(0, 10)}.${format}`;
}
