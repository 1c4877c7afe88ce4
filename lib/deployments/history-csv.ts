import { formatCsvField } from '@/lib/audit/export-format';
import { describeSummary, type DiffSummary } from '@/lib/deployments/diff';
import { deploymentResult, describeResult } from '@/lib/deployments/result';

/** A deployment as the history lists and exports it. */
export interface HistoryEntry {
  id: string;
  environment: string;
  stackName: string;
  status: string;
  changeSetType: string;
  templateRevision: string;
  parameters: Record<string, string>;
  overrides: Record<string, string>;
  /** The release the plan deploys (null for plans made before releases). */
  releaseId: string | null;
  summary: DiffSummary | null;
  plannedBy: string;
  plannedAt: Date;
  approvals: { name: string; kind: 'APPROVE' | 'REJECT'; at: Date; comment: string }[];
  executedBy: string | null;
  executedAt: Date | null;
  finishedAt: Date | null;
  /** The stack's status when the execution ended (UPDATE_ROLLBACK_COMPLETE, …). */
  stackStatus: string | null;
  failureReason: string | null;
  failedResource: string | null;
  planError: string | null;
}

export const HISTORY_CSV_COLUMNS = [
  'id',
  'environment',
  'stack',
  'status',
  'change_set_type',
  'planned_by',
  'planned_at',
  'approved_by',
  'approved_at',
  'rejected_by',
  'executed_by',
  'executed_at',
  'finished_at',
  'template_revision',
  'release',
  'parameters',
  'overrides',
  'change_summary',
  'result',
  'failed_resource',
  'result_detail',
] as const;

const CRLF = '\r\n';
const iso = (d: Date | null) => (d ? d.toISOString() : '');

/** The history as CSV (RFC 4180, CRLF, formula-like cells defused), newest first, with a header row. */
export function formatHistoryCsv(rows: readonly HistoryEntry[]): string {
  const lines = [HISTORY_CSV_COLUMNS.join(',')];
  for (const r of rows) {
    const approved = r.approvals.filter((a) => a.kind === 'APPROVE');
    const rejected = r.approvals.filter((a) => a.kind === 'REJECT');
    const cells = [
      r.id,
      r.environment.toLowerCase(),
      r.stackName,
      r.status,
      r.changeSetType,
      r.plannedBy,
      iso(r.plannedAt),
      approved.map((a) => a.name).join('; '),
      approved.map((a) => iso(a.at)).join('; '),
      rejected.map((a) => `${a.name}: ${a.comment}`).join('; '),
      r.executedBy ?? '',
      iso(r.executedAt),
      iso(r.finishedAt),
      r.templateRevision,
      r.releaseId ?? '',
      JSON.stringify(r.parameters),
      JSON.stringify(r.overrides),
      r.summary ? describeSummary(r.summary) : '',
      describeResult(deploymentResult(r)),
      r.failedResource ?? '',
      r.failureReason ?? r.planError ?? '',
    ];
    lines.push(cells.map((c) => formatCsvField(c)).join(','));
  }
  return lines.join(CRLF) + CRLF;
}
