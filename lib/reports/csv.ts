import { formatCsvField } from '@/lib/audit/export-format';
import type { ApproverLoadRow, BreakGlassRow, GrantWithUsage, ReportData, ReportName, RequestsRow, TimeToApproveRow } from '@/lib/reports/model';

// RFC 4180 ends records with CRLF, as the audit export does; every field goes through the audit
// export's formatCsvField, which neutralises formula-like text (CSV injection).
const CRLF = '\r\n';

type Cell = string | number | boolean | Date | null;

function cell(value: Cell): string {
  if (value === null) return '';
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function table<T>(columns: readonly string[], rows: readonly T[], toCells: (row: T) => Cell[]): string {
  const lines = [
    columns.join(','),
    ...rows.map((r) =>
      toCells(r)
        .map((v) => formatCsvField(cell(v)))
        .join(','),
    ),
  ];
  return lines.join(CRLF) + CRLF;
}

export const REPORT_CSV_COLUMNS = {
  'time-to-approve': [
    'environment',
    'type',
    'requests',
    'decided',
    'first_decision_p50_seconds',
    'first_decision_p95_seconds',
    'final_decision_p50_seconds',
    'final_decision_p95_seconds',
  ],
  requests: ['team_id', 'team', 'environment', 'total', 'approved', 'rejected', 'pending', 'expired', 'cancelled', 'break_glass'],
  'break-glass': ['user_id', 'user', 'team_id', 'team', 'uses', 'acknowledged', 'escalated', 'unreviewed'],
  grants: [
    'grant_id',
    'environment',
    'kind',
    'user',
    'team',
    'principal_arn',
    'resource_arn',
    'starts_at',
    'ends_at',
    'ended_at',
    'end_reason',
    'given_back_early',
    'usage',
    'used_at',
    'use_event',
    'usage_unknown_reason',
  ],
  'approver-load': ['approver_id', 'approver', 'approvals', 'rejections', 'decisions', 'median_response_seconds', 'pending_eligible_now'],
} as const satisfies Record<ReportName, readonly string[]>;

const encoders: { [N in ReportName]: (r: ReportData[N]) => string } = {
  'time-to-approve': (r) =>
    table(REPORT_CSV_COLUMNS['time-to-approve'], r, (x: TimeToApproveRow) => [
      x.environment,
      x.type,
      x.requests,
      x.decided,
      x.firstP50Seconds,
      x.firstP95Seconds,
      x.finalP50Seconds,
      x.finalP95Seconds,
    ]),
  requests: (r) =>
    table(REPORT_CSV_COLUMNS.requests, r, (x: RequestsRow) => [
      x.teamId,
      x.teamName,
      x.environment,
      x.total,
      x.approved,
      x.rejected,
      x.pending,
      x.expired,
      x.cancelled,
      x.breakGlass,
    ]),
  'break-glass': (r) =>
    table(REPORT_CSV_COLUMNS['break-glass'], r, (x: BreakGlassRow) => [
      x.userId,
      x.userName,
      x.teamId,
      x.teamName,
      x.uses,
      x.acknowledged,
      x.escalated,
      x.unreviewed,
    ]),
  grants: (r) =>
    table(REPORT_CSV_COLUMNS.grants, r.grants, (g: GrantWithUsage) => [
      g.id,
      g.environment,
      g.kind,
      g.userName,
      g.teamName,
      g.principalArn,
      g.resourceArn,
      g.startsAt,
      g.endsAt,
      g.endedAt,
      g.endReason,
      g.givenBackEarly,
      g.usage.status,
      g.usage.status === 'used' ? g.usage.usedAt : null,
      g.usage.status === 'used' ? g.usage.eventName : null,
      g.usage.status === 'unknown' ? g.usage.reason : null,
    ]),
  'approver-load': (r) =>
    table(REPORT_CSV_COLUMNS['approver-load'], r, (x: ApproverLoadRow) => [
      x.approverId,
      x.approverName,
      x.approvals,
      x.rejections,
      x.decisions,
      x.medianResponseSeconds,
      x.pendingEligible,
    ]),
};

/** One report as CSV text (header line first, CRLF line ends). */
export function encodeReportCsv<N extends ReportName>(name: N, data: ReportData[N]): string {
  return (encoders[name] as (r: ReportData[N]) => string)(data);
}

/** The download's file name, e.g. gatehouse-time-to-approve-2026-11-08-2026-12-07.csv. */
export function reportFileName(name: ReportName, from: string, to: string): string {
  return `gatehouse-${name}-${from}-${to}.csv`;
}
