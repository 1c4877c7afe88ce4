import 'server-only';
import { prisma } from '@/lib/server/db/connection';
import { Prisma, type PrismaClient } from '@/lib/server/db/generated/client';

/** Which badges to count, for whom; a part left out (null / false) is not counted. */
export interface NavCountQuery {
  userId: string;
  /** Approvals: the user's standing now (the SECURITY role; the teams they lead), as canDecideNow reads it. */
  approvals: { security: boolean; leadTeamIds: string[] } | null;
  /** Deployment plans waiting for an approval the user could give. */
  plans: boolean;
  /** The shared alarm cache's keys of every account and region shown (alarmsKey): alarms in ALARM in them. */
  alarmKeys: string[] | null;
}

export interface NavCounts {
  approvals: number | null;
  plans: number | null;
  alarms: number | null;
}

/**
 * The navigation's badges in one statement. The approvals count is listApprovalQueue's rule
 * (pending, unexpired, not theirs, not decided by them, on the frozen list and still holding that
 * capacity: lib/access/visibility.ts canDecideNow) written in SQL; a repository test holds the two
 * equal. Alarms are counted in the shared cache as last fetched (at most 30 s old while anyone
 * watches alarms): the badge never calls CloudWatch.
 */
export async function countNavBadges(q: NavCountQuery, now: Date, db: PrismaClient = prisma()): Promise<NavCounts> {
  const approvals = q.approvals
    ? Prisma.sql`(SELECT count(*)::int FROM access_requests r
        WHERE r.status = 'PENDING' AND r.pending_expires_at > ${now} AND r.requester_id <> ${q.userId}
          AND ((${q.approvals.security} AND ${q.userId} = ANY(r.eligible_security_ids))
            OR (r.approver_group = 'SECURITY_AND_TEAM_LEAD' AND ${q.userId} = ANY(r.eligible_lead_ids) AND r.team_id = ANY(${q.approvals.leadTeamIds}::text[])))
          AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.request_id = r.id AND d.approver_id = ${q.userId}))`
    : Prisma.sql`NULL::int`;
  // A plan's author does not approve it; an approver decides once.
  const plans = q.plans
    ? Prisma.sql`(SELECT count(*)::int FROM deployments p
        WHERE p.status = 'APPROVAL_PENDING' AND p.planned_by_id <> ${q.userId}
          AND NOT EXISTS (SELECT 1 FROM deployment_approvals a WHERE a.deployment_id = p.id AND a.approver_id = ${q.userId}))`
    : Prisma.sql`NULL::int`;
  const alarms = q.alarmKeys
    ? Prisma.sql`(SELECT count(*)::int FROM alarm_cache c
        CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(c.value) = 'array' THEN c.value ELSE '[]'::jsonb END) AS e(alarm)
        WHERE c.key = ANY(${q.alarmKeys}::text[]) AND e.alarm->>'state' = 'ALARM')`
    : Prisma.sql`NULL::int`;
  const [row] = await db.$queryRaw<NavCounts[]>`SELECT ${approvals} AS approvals, ${plans} AS plans, ${alarms} AS alarms`;
  return row ?? { approvals: null, plans: null, alarms: null };
}
