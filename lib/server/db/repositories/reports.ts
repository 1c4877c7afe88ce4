import 'server-only';
import type { ApproverLoadRow, BreakGlassRow, GrantReportRow, ReportPeriod, RequestsRow, TimeToApproveRow } from '@/lib/reports/model';
import { prisma } from '@/lib/server/db/connection';
import { Prisma, type PrismaClient } from '@/lib/server/db/generated/client';

// The reports are aggregates computed by PostgreSQL (embedded or server) over the existing tables
// (docs/decisions/051-reports.md): percentile_cont gives the p50 / p95, FILTER the counts by
// outcome. Each statement starts from an index on its period column — access_requests (created_at,
// id), decisions (created_at), grants (starts_at) — so a report reads only its period's rows.
// Seconds are rounded to a tenth so that the same data gives the same figures on both engines.

const seconds = (expr: Prisma.Sql) => Prisma.sql`round((${expr})::numeric, 1)::float8`;
const p = (fraction: number, interval: Prisma.Sql) =>
  seconds(Prisma.sql`percentile_cont(${fraction}::float8) WITHIN GROUP (ORDER BY extract(epoch FROM ${interval})::float8)`);

/** The SQL of the time-to-approve report (also used by the EXPLAIN test). */
export function timeToApproveSql(period: ReportPeriod): Prisma.Sql {
  return Prisma.sql`
    WITH reqs AS (
      SELECT r.environment, r.type, r.created_at, r.status,
        CASE WHEN r.status IN ('APPROVED', 'REJECTED', 'ACTIVE', 'ENDED') THEN r.decided_at END AS settled_at,
        (SELECT min(d.created_at) FROM decisions d WHERE d.request_id = r.id) AS first_at
      FROM access_requests r
      WHERE r.created_at >= ${period.from} AND r.created_at < ${period.to} AND NOT r.break_glass
    )
    SELECT environment::text AS environment, type::text AS type, count(*)::int AS requests, count(first_at)::int AS decided,
      ${p(0.5, Prisma.sql`first_at - created_at`)} AS "firstP50Seconds",
      ${p(0.95, Prisma.sql`first_at - created_at`)} AS "firstP95Seconds",
      ${p(0.5, Prisma.sql`settled_at - created_at`)} AS "finalP50Seconds",
      ${p(0.95, Prisma.sql`settled_at - created_at`)} AS "finalP95Seconds"
    FROM reqs
    GROUP BY reqs.environment, reqs.type
    ORDER BY reqs.environment, reqs.type`;
}

/** p50 / p95 of the wait for a first and a settling decision, per environment and request type. */
export async function timeToApprove(period: ReportPeriod, db: PrismaClient = prisma()): Promise<TimeToApproveRow[]> {
  return db.$queryRaw<TimeToApproveRow[]>(timeToApproveSql(period));
}

/** The SQL of the requests report. */
export function requestsSql(period: ReportPeriod): Prisma.Sql {
  return Prisma.sql`
    SELECT r.team_id AS "teamId", t.name AS "teamName", r.environment::text AS environment, count(*)::int AS total,
      count(*) FILTER (WHERE r.status IN ('APPROVED', 'ACTIVE', 'ENDED'))::int AS approved,
      count(*) FILTER (WHERE r.status = 'REJECTED')::int AS rejected,
      count(*) FILTER (WHERE r.status = 'PENDING')::int AS pending,
      count(*) FILTER (WHERE r.status = 'EXPIRED')::int AS expired,
      count(*) FILTER (WHERE r.status = 'CANCELLED')::int AS cancelled,
      count(*) FILTER (WHERE r.break_glass)::int AS "breakGlass"
    FROM access_requests r JOIN teams t ON t.id = r.team_id
    WHERE r.created_at >= ${period.from} AND r.created_at < ${period.to}
    GROUP BY r.team_id, t.name, r.environment
    ORDER BY t.name, r.team_id, r.environment`;
}

/** Requests made in the period per team and environment, by outcome. */
export async function requestsPerTeam(period: ReportPeriod, db: PrismaClient = prisma()): Promise<RequestsRow[]> {
  return db.$queryRaw<RequestsRow[]>(requestsSql(period));
}

/** The SQL of the break-glass report. */
export function breakGlassSql(period: ReportPeriod): Prisma.Sql {
  return Prisma.sql`
    SELECT r.requester_id AS "userId", u.name AS "userName", r.team_id AS "teamId", t.name AS "teamName", count(*)::int AS uses,
      count(*) FILTER (WHERE b.outcome = 'ACKNOWLEDGED')::int AS acknowledged,
      count(*) FILTER (WHERE b.outcome = 'ESCALATED')::int AS escalated,
      count(*) FILTER (WHERE b.request_id IS NULL)::int AS unreviewed
    FROM access_requests r
    JOIN users u ON u.id = r.requester_id
    JOIN teams t ON t.id = r.team_id
    LEFT JOIN break_glass_reviews b ON b.request_id = r.id
    WHERE r.created_at >= ${period.from} AND r.created_at < ${period.to} AND r.break_glass
    GROUP BY r.requester_id, u.name, r.team_id, t.name
    ORDER BY uses DESC, u.name, t.name`;
}

/** Break-glass uses made in the period per user and team, and their reviews. */
export async function breakGlassUse(period: ReportPeriod, db: PrismaClient = prisma()): Promise<BreakGlassRow[]> {
  return db.$queryRaw<BreakGlassRow[]>(breakGlassSql(period));
}

/** The SQL of the approver-load report; `now` decides which pending requests are still open. */
export function approverLoadSql(period: ReportPeriod, now: Date): Prisma.Sql {
  return Prisma.sql`
    WITH made AS (
      SELECT d.approver_id,
        count(*) FILTER (WHERE d.kind = 'APPROVE')::int AS approvals,
        count(*) FILTER (WHERE d.kind = 'REJECT')::int AS rejections,
        count(*)::int AS decisions,
        ${p(0.5, Prisma.sql`d.created_at - r.created_at`)} AS median
      FROM decisions d JOIN access_requests r ON r.id = d.request_id
      WHERE d.created_at >= ${period.from} AND d.created_at < ${period.to}
      GROUP BY d.approver_id
    ), waiting AS (
      SELECT a.approver_id, count(DISTINCT r.id)::int AS pending
      FROM access_requests r
      CROSS JOIN LATERAL unnest(r.eligible_security_ids || r.eligible_lead_ids) AS a(approver_id)
      WHERE r.status = 'PENDING' AND r.pending_expires_at > ${now} AND a.approver_id <> r.requester_id
        AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.request_id = r.id AND d.approver_id = a.approver_id)
      GROUP BY a.approver_id
    )
    SELECT u.id AS "approverId", u.name AS "approverName",
      COALESCE(m.approvals, 0) AS approvals, COALESCE(m.rejections, 0) AS rejections, COALESCE(m.decisions, 0) AS decisions,
      m.median AS "medianResponseSeconds", COALESCE(w.pending, 0) AS "pendingEligible"
    FROM users u
    LEFT JOIN made m ON m.approver_id = u.id
    LEFT JOIN waiting w ON w.approver_id = u.id
    WHERE m.approver_id IS NOT NULL OR w.approver_id IS NOT NULL
    ORDER BY COALESCE(m.decisions, 0) DESC, COALESCE(w.pending, 0) DESC, u.name`;
}

/** Each approver's decisions in the period, and the open requests waiting on them now. */
export async function approverLoad(period: ReportPeriod, now: Date, db: PrismaClient = prisma()): Promise<ApproverLoadRow[]> {
  return db.$queryRaw<ApproverLoadRow[]>(approverLoadSql(period, now));
}

/** The SQL of the grants report: `limit` newest grants that started in the period and were applied. */
export function grantsSql(period: ReportPeriod, limit: number): Prisma.Sql {
  return Prisma.sql`
    SELECT g.id, r.environment::text AS environment, g.kind::text AS kind, u.name AS "userName", t.name AS "teamName",
      g.principal_arn AS "principalArn", g.resource_arn AS "resourceArn", COALESCE(g.applied_at, g.starts_at) AS "startsAt",
      g.ends_at AS "endsAt", g.ended_at AS "endedAt", g.end_reason::text AS "endReason"
    FROM grants g
    JOIN access_requests r ON r.id = g.request_id
    JOIN users u ON u.id = r.requester_id
    JOIN teams t ON t.id = r.team_id
    WHERE g.starts_at >= ${period.from} AND g.starts_at < ${period.to} AND g.applied_at IS NOT NULL
    ORDER BY g.starts_at DESC, g.id DESC
    LIMIT ${limit}`;
}

/** Grants applied that started in the period, newest first, at most `limit`, and how many there are in all. */
export async function grantsStarted(period: ReportPeriod, limit: number, db: PrismaClient = prisma()): Promise<{ grants: GrantReportRow[]; total: number }> {
  const [grants, [count]] = await Promise.all([
    db.$queryRaw<GrantReportRow[]>(grantsSql(period, limit)),
    db.$queryRaw<{ total: number }[]>`
      SELECT count(*)::int AS total FROM grants g
      WHERE g.starts_at >= ${period.from} AND g.starts_at < ${period.to} AND g.applied_at IS NOT NULL`,
  ]);
  return { grants, total: count?.total ?? 0 };
}

/** One applied grant's window, principal and resource, for the sandbox's simulated use; null when there is none. */
export async function findAppliedGrant(
  id: string,
  db: PrismaClient = prisma(),
): Promise<Pick<GrantReportRow, 'id' | 'environment' | 'principalArn' | 'resourceArn' | 'startsAt' | 'endsAt' | 'endedAt'> | null> {
  const g = await db.grant.findUnique({
    where: { id },
    select: { id: true, principalArn: true, resourceArn: true, appliedAt: true, endsAt: true, endedAt: true, request: { select: { environment: true } } },
  });
  if (!g?.appliedAt) return null;
  return {
    id: g.id,
    environment: g.request.environment,
    principalArn: g.principalArn,
    resourceArn: g.resourceArn,
    startsAt: g.appliedAt,
    endsAt: g.endsAt,
    endedAt: g.endedAt,
  };
}
