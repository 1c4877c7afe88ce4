import 'server-only';
import { AppError } from '@/lib/errors';
import type { GrantUsage, GrantsReport, ReportData, ReportName, ReportPeriod } from '@/lib/reports/model';
import { checkGrantUsage } from '@/lib/reports/usage';
import { cloudFor } from '@/lib/server/cloud/adapters';
import { approverLoad, breakGlassUse, findAppliedGrant, grantsStarted, requestsPerTeam, timeToApprove } from '@/lib/server/db/repositories/reports';
import { singleton } from '@/lib/server/singleton';

/** Grants listed in the grants report at most (newest first); their usage is checked for the first MAX_USAGE_CHECKS. */
const GRANTS_LISTED = 200;

// Usage answers of closed windows never change: kept per process so that CloudTrail (2 calls a
// second per account) is asked about a grant once, not on every view of the page.
const settled = singleton('reports.settled-usage', () => new Map<string, GrantUsage>());

async function grantsReport(period: ReportPeriod, now: Date): Promise<GrantsReport> {
  const { grants, total } = await grantsStarted(period, GRANTS_LISTED);
  if (settled.size > 50_000) settled.clear();
  const checked = await checkGrantUsage(grants, { cloudTrailFor: (environment) => cloudFor(environment).cloudTrail(), now, settled });
  return { ...checked, omitted: total - grants.length };
}

const loaders: { [N in ReportName]: (period: ReportPeriod, now: Date) => Promise<ReportData[N]> } = {
  'time-to-approve': (period) => timeToApprove(period),
  requests: (period) => requestsPerTeam(period),
  'break-glass': (period) => breakGlassUse(period),
  grants: grantsReport,
  'approver-load': approverLoad,
};

/** One report of the period (the CSV / JSON export). */
export function loadReport<N extends ReportName>(name: N, period: ReportPeriod, now: Date = new Date()): Promise<ReportData[N]> {
  return loaders[name](period, now);
}

/** Every report of the period (the reports page). */
export async function loadReports(period: ReportPeriod, now: Date = new Date()): Promise<ReportData> {
  const [timeToApproveRows, requests, breakGlass, grants, approvers] = await Promise.all([
    loadReport('time-to-approve', period, now),
    loadReport('requests', period, now),
    loadReport('break-glass', period, now),
    loadReport('grants', period, now),
    loadReport('approver-load', period, now),
  ]);
  return { 'time-to-approve': timeToApproveRows, requests, 'break-glass': breakGlass, grants, 'approver-load': approvers };
}

/**
 * Sandbox only: records in the grant's account's simulated CloudTrail that its holder read the
 * secret (or assumed the role) during the grant — now when the grant is still on, else halfway
 * through its window — so that the report shows it as used. Nothing like it exists in aws mode.
 */
export async function simulateGrantUse(grantId: string, now: Date = new Date()): Promise<{ grantId: string; at: Date }> {
  const grant = await findAppliedGrant(grantId);
  if (!grant) throw new AppError('NOT_FOUND', 'No such grant applied.');
  const trail = cloudFor(grant.environment).sandbox?.cloudTrail();
  if (!trail) throw new AppError('CONFLICT', 'Use is simulated only in the sandbox; in aws mode CloudTrail records it.');
  const end = grant.endedAt ?? grant.endsAt;
  const at = end > now ? now : new Date((grant.startsAt.getTime() + end.getTime()) / 2);
  const eventName = grant.resourceArn.includes(':secretsmanager:') ? 'GetSecretValue' : 'AssumeRole';
  await trail.recordEvent({ at, eventName, principalArn: grant.principalArn, resourceArn: grant.resourceArn });
  settled.delete(grantId);
  return { grantId, at };
}
