import type { RequestType } from '@/lib/access/model';
import type { Environment } from '@/lib/environments';

/**
 * The reports for security and admins (docs/decisions/051-reports.md): each is computed in SQL over
 * the requests, decisions and grants of one period, shown as a chart and a table, and exported as CSV.
 */
export const REPORT_NAMES = ['time-to-approve', 'requests', 'break-glass', 'grants', 'approver-load'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

/** A half-open interval [from, to) of instants: whole UTC days from the query. */
export interface ReportPeriod {
  from: Date;
  to: Date;
}

/**
 * How long requests of one environment and type waited (seconds). `first*`: from the request to
 * its first decision (approve or reject) — with two approvals required this is when the first
 * approver acted, so each request counts once. `final*`: to the decision that settled it (the
 * second approval, or a rejection). Break-glass requests are approved when made: they are left out.
 */
export interface TimeToApproveRow {
  environment: Environment;
  type: RequestType;
  /** Requests made in the period (break-glass excluded). */
  requests: number;
  /** Of those, requests with at least one decision. */
  decided: number;
  firstP50Seconds: number | null;
  firstP95Seconds: number | null;
  finalP50Seconds: number | null;
  finalP95Seconds: number | null;
}

/** Requests made in the period for one team's resources in one environment, by how they stand now. */
export interface RequestsRow {
  teamId: string;
  teamName: string;
  environment: Environment;
  total: number;
  /** Approved, active or ended: the request was granted. */
  approved: number;
  rejected: number;
  pending: number;
  expired: number;
  cancelled: number;
  breakGlass: number;
}

/** Break-glass uses in the period by one user on one team's resources, and how security reviewed them. */
export interface BreakGlassRow {
  userId: string;
  userName: string;
  teamId: string;
  teamName: string;
  uses: number;
  acknowledged: number;
  escalated: number;
  unreviewed: number;
}

/** One approver's decisions in the period, and the pending requests on their frozen list now. */
export interface ApproverLoadRow {
  approverId: string;
  approverName: string;
  approvals: number;
  rejections: number;
  decisions: number;
  /** Median seconds from a request to this approver's decision on it. */
  medianResponseSeconds: number | null;
  /**
   * Pending requests (not expired) that list this user as an eligible approver, which they did not
   * make and have not decided yet: a snapshot of now, not of the period.
   */
  pendingEligible: number;
}

/** A grant that started in the period: its window and how it ended. */
export interface GrantReportRow {
  id: string;
  environment: Environment;
  kind: RequestType;
  userName: string;
  teamName: string;
  principalArn: string;
  resourceArn: string;
  /** When access began: applied in AWS (or the planned start, when that is not known). */
  startsAt: Date;
  endsAt: Date;
  endedAt: Date | null;
  endReason: 'EXPIRED' | 'GIVEN_BACK' | 'REVOKED' | null;
}

/** Given back by its holder before its end: the access was needed for less time than asked. */
export function isGivenBackEarly(g: Pick<GrantReportRow, 'endReason' | 'endedAt' | 'endsAt'>): boolean {
  return g.endReason === 'GIVEN_BACK' && g.endedAt !== null && g.endedAt < g.endsAt;
}

/** Why CloudTrail could not say whether a grant was used. */
export const USAGE_UNKNOWN_REASONS = ['access-denied', 'throttled', 'error', 'beyond-history', 'too-many-events', 'not-checked'] as const;
export type UsageUnknownReason = (typeof USAGE_UNKNOWN_REASONS)[number];

/** Whether the grant's principal acted on its resource during the grant's window, per CloudTrail. */
export type GrantUsage =
  | { status: 'used'; /** The newest use found in the window. */ usedAt: Date; eventName: string }
  | { status: 'unused' }
  | { status: 'unknown'; reason: UsageUnknownReason };

export type GrantWithUsage = GrantReportRow & { givenBackEarly: boolean; usage: GrantUsage };

/** The grants report: each grant with its usage, and the environments where CloudTrail could not be asked. */
export interface GrantsReport {
  grants: GrantWithUsage[];
  /** Grants started in the period beyond those listed (the list is capped). */
  omitted: number;
  /** Per environment where some usage is unknown because of CloudTrail itself (denied, throttled, failing). */
  unavailable: { environment: Environment; reason: UsageUnknownReason }[];
}

/** Each report's data, by name. */
export interface ReportData {
  'time-to-approve': TimeToApproveRow[];
  requests: RequestsRow[];
  'break-glass': BreakGlassRow[];
  grants: GrantsReport;
  'approver-load': ApproverLoadRow[];
}
