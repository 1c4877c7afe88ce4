import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportPeriod } from '@/lib/reports/model';
import { Prisma } from '@/lib/server/db/generated/client';
import {
  approverLoad,
  approverLoadSql,
  breakGlassSql,
  breakGlassUse,
  grantsSql,
  grantsStarted,
  requestsPerTeam,
  requestsSql,
  timeToApprove,
  timeToApproveSql,
} from '@/lib/server/db/repositories/reports';
import { createTestDatabase, testDatabaseKinds } from '@/lib/server/db/test-databases';
import { seed } from '@/prisma/seed';

// November 2026, UTC: [2026-11-01, 2026-12-01).
const PERIOD: ReportPeriod = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') };
const NOW = new Date('2026-11-30T12:00:00Z');
const at = (iso: string, plusSeconds = 0) => new Date(new Date(iso).getTime() + plusSeconds * 1000);

const MINJI = 'usr_minji_kim';
const DANIEL = 'usr_daniel_okafor';
const SEOYEON = 'usr_seoyeon_park';
const LUCAS = 'usr_lucas_meyer';
const AMARA = 'usr_amara_osei';
const JAEWON = 'usr_jaewon_choi';
const SECURITY = [SEOYEON, LUCAS, AMARA];

type Status = 'PENDING' | 'APPROVED' | 'REJECTED' | 'CANCELLED' | 'EXPIRED' | 'ACTIVE' | 'ENDED';
interface Req {
  id: string;
  type?: 'SECRET_READ' | 'SECRET_REGISTER' | 'ROLE';
  env: 'DEV' | 'STAGING' | 'PROD';
  team: 'team_payments' | 'team_data';
  requester: string;
  createdAt: Date;
  status: Status;
  /** Seconds after the request: who decided what. */
  decisions?: [string, 'APPROVE' | 'REJECT', number][];
  decidedAfter?: number;
  breakGlass?: boolean;
  review?: ['ACKNOWLEDGED' | 'ESCALATED', string];
  pendingExpiresAt?: Date;
  leads?: string[];
}

// Known timestamps, so that every figure below is computed by hand (see each expectation).
const REQUESTS: Req[] = [
  // PROD secret reads of payments (two approvals): first decisions after 60, 120, 180, 240, 600 s.
  {
    id: 'r1',
    env: 'PROD',
    team: 'team_payments',
    requester: MINJI,
    createdAt: at('2026-11-02T09:00:00Z'),
    status: 'ENDED',
    decisions: [
      [SEOYEON, 'APPROVE', 60],
      [LUCAS, 'APPROVE', 300],
    ],
    decidedAfter: 300,
  },
  {
    id: 'r2',
    env: 'PROD',
    team: 'team_payments',
    requester: MINJI,
    createdAt: at('2026-11-03T09:00:00Z'),
    status: 'APPROVED',
    decisions: [
      [LUCAS, 'APPROVE', 120],
      [AMARA, 'APPROVE', 600],
    ],
    decidedAfter: 600,
  },
  {
    id: 'r3',
    env: 'PROD',
    team: 'team_payments',
    requester: MINJI,
    createdAt: at('2026-11-04T09:00:00Z'),
    status: 'REJECTED',
    decisions: [[SEOYEON, 'REJECT', 180]],
    decidedAfter: 180,
  },
  {
    id: 'r4',
    env: 'PROD',
    team: 'team_payments',
    requester: MINJI,
    createdAt: at('2026-11-05T09:00:00Z'),
    status: 'ACTIVE',
    decisions: [
      [SEOYEON, 'APPROVE', 240],
      [AMARA, 'APPROVE', 1200],
    ],
    decidedAfter: 1200,
  },
  {
    id: 'r5',
    env: 'PROD',
    team: 'team_payments',
    requester: MINJI,
    createdAt: at('2026-11-06T09:00:00Z'),
    status: 'APPROVED',
    decisions: [
      [AMARA, 'APPROVE', 600],
      [LUCAS, 'APPROVE', 3000],
    ],
    decidedAfter: 3000,
  },
  // Pending, undecided; open until after NOW; a team lead is on its list too.
  {
    id: 'r6',
    env: 'PROD',
    team: 'team_payments',
    requester: MINJI,
    createdAt: at('2026-11-29T09:00:00Z'),
    status: 'PENDING',
    leads: [JAEWON],
    pendingExpiresAt: at('2026-11-30T20:00:00Z'),
  },
  // Seo-yeon's own request: she is on its frozen list but is never counted as its approver; Lucas already approved it.
  {
    id: 'r13',
    type: 'SECRET_REGISTER',
    env: 'PROD',
    team: 'team_payments',
    requester: SEOYEON,
    createdAt: at('2026-11-29T10:00:00Z'),
    status: 'PENDING',
    decisions: [[LUCAS, 'APPROVE', 45]],
    pendingExpiresAt: at('2026-11-30T20:00:00Z'),
  },
  // DEV roles of data: 30 and 90 s; one expired unanswered (decided_at set by the expiry, not a decision).
  {
    id: 'r7',
    type: 'ROLE',
    env: 'DEV',
    team: 'team_data',
    requester: DANIEL,
    createdAt: at('2026-11-10T09:00:00Z'),
    status: 'APPROVED',
    decisions: [[SEOYEON, 'APPROVE', 30]],
    decidedAfter: 30,
  },
  {
    id: 'r8',
    type: 'ROLE',
    env: 'DEV',
    team: 'team_data',
    requester: DANIEL,
    createdAt: at('2026-11-11T09:00:00Z'),
    status: 'APPROVED',
    decisions: [[LUCAS, 'APPROVE', 90]],
    decidedAfter: 90,
  },
  { id: 'r9', type: 'ROLE', env: 'DEV', team: 'team_data', requester: DANIEL, createdAt: at('2026-11-12T09:00:00Z'), status: 'EXPIRED', decidedAfter: 86_400 },
  // Still PENDING in the table but past its deadline (the expiry job has not run): waits on no one.
  {
    id: 'r12',
    env: 'STAGING',
    team: 'team_data',
    requester: DANIEL,
    createdAt: at('2026-11-20T09:00:00Z'),
    status: 'PENDING',
    pendingExpiresAt: at('2026-11-21T09:00:00Z'),
  },
  // Break-glass: approved when made, no decisions; reviewed or not.
  {
    id: 'bg1',
    env: 'PROD',
    team: 'team_payments',
    requester: MINJI,
    createdAt: at('2026-11-15T03:00:00Z'),
    status: 'ENDED',
    breakGlass: true,
    decidedAfter: 0,
    review: ['ACKNOWLEDGED', SEOYEON],
  },
  {
    id: 'bg2',
    env: 'PROD',
    team: 'team_payments',
    requester: MINJI,
    createdAt: at('2026-11-16T03:00:00Z'),
    status: 'APPROVED',
    breakGlass: true,
    decidedAfter: 0,
  },
  {
    id: 'bg3',
    env: 'PROD',
    team: 'team_data',
    requester: DANIEL,
    createdAt: at('2026-11-17T03:00:00Z'),
    status: 'ENDED',
    breakGlass: true,
    decidedAfter: 0,
    review: ['ESCALATED', LUCAS],
  },
  // Outside the period: the last second before it (decided inside it), and its first instant after.
  {
    id: 'r10',
    env: 'PROD',
    team: 'team_payments',
    requester: MINJI,
    createdAt: at('2026-10-31T23:59:59Z'),
    status: 'APPROVED',
    decisions: [[LUCAS, 'APPROVE', 10_000]],
    decidedAfter: 10_000,
  },
  {
    id: 'r11',
    env: 'PROD',
    team: 'team_payments',
    requester: MINJI,
    createdAt: at('2026-12-01T00:00:00Z'),
    status: 'APPROVED',
    decisions: [[AMARA, 'APPROVE', 60]],
    decidedAfter: 60,
  },
];

interface GrantSeed {
  id: string;
  request: string;
  startsAt: Date;
  endsAt: Date;
  appliedAt: Date | null;
  endedAt?: Date;
  endReason?: 'EXPIRED' | 'GIVEN_BACK' | 'REVOKED';
  status: 'PENDING' | 'ACTIVE' | 'GRANT_FAILED' | 'ENDING' | 'ENDED';
}

const GRANTS: GrantSeed[] = [
  {
    id: 'g1',
    request: 'r1',
    startsAt: at('2026-11-02T09:05:00Z'),
    endsAt: at('2026-11-02T11:05:00Z'),
    appliedAt: at('2026-11-02T09:05:02Z'),
    endedAt: at('2026-11-02T09:35:00Z'),
    endReason: 'GIVEN_BACK',
    status: 'ENDED',
  },
  {
    id: 'g2',
    request: 'r2',
    startsAt: at('2026-11-03T09:10:00Z'),
    endsAt: at('2026-12-03T09:10:00Z'),
    appliedAt: at('2026-11-03T09:10:01Z'),
    status: 'ACTIVE',
  },
  {
    id: 'g4',
    request: 'r7',
    startsAt: at('2026-11-10T09:01:00Z'),
    endsAt: at('2026-11-10T10:01:00Z'),
    appliedAt: at('2026-11-10T09:01:00Z'),
    endedAt: at('2026-11-10T10:01:00Z'),
    endReason: 'EXPIRED',
    status: 'ENDED',
  },
  {
    id: 'g3',
    request: 'bg3',
    startsAt: at('2026-11-17T03:00:00Z'),
    endsAt: at('2026-11-17T04:00:00Z'),
    appliedAt: at('2026-11-17T03:00:01Z'),
    endedAt: at('2026-11-17T03:20:00Z'),
    endReason: 'REVOKED',
    status: 'ENDED',
  },
  // Never applied in AWS: no access was given, so it is not in the report.
  { id: 'g5', request: 'r5', startsAt: at('2026-11-06T10:00:00Z'), endsAt: at('2026-11-06T11:00:00Z'), appliedAt: null, status: 'GRANT_FAILED' },
  // Started before the period.
  {
    id: 'g0',
    request: 'r10',
    startsAt: at('2026-10-31T23:59:00Z'),
    endsAt: at('2026-11-01T01:00:00Z'),
    appliedAt: at('2026-10-31T23:59:00Z'),
    endedAt: at('2026-11-01T00:30:00Z'),
    endReason: 'GIVEN_BACK',
    status: 'ENDED',
  },
];

describe.each(testDatabaseKinds())('report queries on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await seed(db.prisma);
    await db.prisma.accessRequest.createMany({
      data: REQUESTS.map((r) => ({
        id: r.id,
        type: r.type ?? 'SECRET_READ',
        status: r.status,
        environment: r.env,
        requesterId: r.requester,
        teamId: r.team,
        justification: 'Report test',
        durationMinutes: 60,
        approvalsRequired: r.env === 'PROD' ? 2 : 1,
        approverGroup: 'SECURITY',
        maxDurationMinutes: 480,
        eligibleSecurityIds: SECURITY,
        eligibleLeadIds: r.leads ?? [],
        pendingExpiresAt: r.pendingExpiresAt ?? at(r.createdAt.toISOString(), 86_400),
        breakGlass: r.breakGlass ?? false,
        createdAt: r.createdAt,
        decidedAt: r.decidedAfter === undefined ? null : at(r.createdAt.toISOString(), r.decidedAfter),
      })),
    });
    await db.prisma.decision.createMany({
      data: REQUESTS.flatMap((r) =>
        (r.decisions ?? []).map(([approverId, kind, after]) => ({
          requestId: r.id,
          approverId,
          kind,
          capacity: 'SECURITY',
          createdAt: at(r.createdAt.toISOString(), after),
        })),
      ),
    });
    await db.prisma.breakGlassReview.createMany({
      data: REQUESTS.flatMap((r) =>
        r.review ? [{ requestId: r.id, outcome: r.review[0], reviewerId: r.review[1], createdAt: at(r.createdAt.toISOString(), 3600) }] : [],
      ),
    });
    await db.prisma.grant.createMany({
      data: GRANTS.map((g) => ({
        id: g.id,
        requestId: g.request,
        kind: REQUESTS.find((r) => r.id === g.request)!.type ?? 'SECRET_READ',
        status: g.status,
        principalKind: 'IAM_USER',
        principalName: 'minji.kim',
        principalArn: 'arn:aws:iam::111122223333:user/minji.kim',
        policyName: `gatehouse-grant-${g.id}`,
        policy: {},
        resourceArn: `arn:aws:secretsmanager:us-east-1:111122223333:secret:${g.id}`,
        startsAt: g.startsAt,
        endsAt: g.endsAt,
        appliedAt: g.appliedAt,
        endedAt: g.endedAt ?? null,
        endReason: g.endReason ?? null,
        nextAttemptAt: g.startsAt,
      })),
    });
  });
  afterAll(async () => db.drop());

  it('time to approve: exact p50 / p95 per environment and type, break-glass and other periods left out', async () => {
    expect(await timeToApprove(PERIOD, db.prisma)).toEqual([
      // First decisions 30, 90 s: p50 = 60, p95 = 30 + 0.95 × 60 = 87. The expired request counts as made, not decided.
      { environment: 'DEV', type: 'ROLE', requests: 3, decided: 2, firstP50Seconds: 60, firstP95Seconds: 87, finalP50Seconds: 60, finalP95Seconds: 87 },
      {
        environment: 'STAGING',
        type: 'SECRET_READ',
        requests: 1,
        decided: 0,
        firstP50Seconds: null,
        firstP95Seconds: null,
        finalP50Seconds: null,
        finalP95Seconds: null,
      },
      // r1–r6 (three break-glass uses excluded): first decisions 60, 120, 180, 240, 600 s → p50 180, p95 240 + 0.8 × 360 = 528.
      // Settled by the second approval or the rejection: 180, 300, 600, 1200, 3000 s → p50 600, p95 1200 + 0.8 × 1800 = 2640.
      {
        environment: 'PROD',
        type: 'SECRET_READ',
        requests: 6,
        decided: 5,
        firstP50Seconds: 180,
        firstP95Seconds: 528,
        finalP50Seconds: 600,
        finalP95Seconds: 2640,
      },
      // One approval of two: decided once, not settled.
      {
        environment: 'PROD',
        type: 'SECRET_REGISTER',
        requests: 1,
        decided: 1,
        firstP50Seconds: 45,
        firstP95Seconds: 45,
        finalP50Seconds: null,
        finalP95Seconds: null,
      },
    ]);
  });

  it('requests per team and environment, by outcome', async () => {
    expect(await requestsPerTeam(PERIOD, db.prisma)).toEqual([
      { teamId: 'team_data', teamName: 'Data', environment: 'DEV', total: 3, approved: 2, rejected: 0, pending: 0, expired: 1, cancelled: 0, breakGlass: 0 },
      {
        teamId: 'team_data',
        teamName: 'Data',
        environment: 'STAGING',
        total: 1,
        approved: 0,
        rejected: 0,
        pending: 1,
        expired: 0,
        cancelled: 0,
        breakGlass: 0,
      },
      { teamId: 'team_data', teamName: 'Data', environment: 'PROD', total: 1, approved: 1, rejected: 0, pending: 0, expired: 0, cancelled: 0, breakGlass: 1 },
      {
        teamId: 'team_payments',
        teamName: 'Payments',
        environment: 'PROD',
        total: 9,
        approved: 6,
        rejected: 1,
        pending: 2,
        expired: 0,
        cancelled: 0,
        breakGlass: 2,
      },
    ]);
  });

  it('break-glass use per user and team, with reviews', async () => {
    expect(await breakGlassUse(PERIOD, db.prisma)).toEqual([
      { userId: MINJI, userName: 'Minji Kim', teamId: 'team_payments', teamName: 'Payments', uses: 2, acknowledged: 1, escalated: 0, unreviewed: 1 },
      { userId: DANIEL, userName: 'Daniel Okafor', teamId: 'team_data', teamName: 'Data', uses: 1, acknowledged: 0, escalated: 1, unreviewed: 0 },
    ]);
  });

  it("each approver's load: decisions made in the period (by decision time) and open requests waiting on them", async () => {
    expect(await approverLoad(PERIOD, NOW, db.prisma)).toEqual([
      // 45, 90, 120, 300, 3000 and r10's 10 000 s (made before the period, decided in it): median (120 + 300) / 2.
      { approverId: LUCAS, approverName: 'Lucas Meyer', approvals: 6, rejections: 0, decisions: 6, medianResponseSeconds: 210, pendingEligible: 1 },
      // 30, 60, 180, 240 s. Pending: r6 only (r13 is her own request).
      { approverId: SEOYEON, approverName: 'Seo-yeon Park', approvals: 3, rejections: 1, decisions: 4, medianResponseSeconds: 120, pendingEligible: 1 },
      // 600, 600, 1200 s; r11's decision is after the period. Pending: r6 and r13 (r12 is past its deadline).
      { approverId: AMARA, approverName: 'Amara Osei', approvals: 3, rejections: 0, decisions: 3, medianResponseSeconds: 600, pendingEligible: 2 },
      { approverId: JAEWON, approverName: 'Jae-won Choi', approvals: 0, rejections: 0, decisions: 0, medianResponseSeconds: null, pendingEligible: 1 },
    ]);
  });

  it('grants started and applied in the period, newest first, capped with the total', async () => {
    const { grants, total } = await grantsStarted(PERIOD, 3, db.prisma);
    expect(total).toBe(4);
    expect(grants.map((g) => g.id)).toEqual(['g3', 'g4', 'g2']);
    const all = await grantsStarted(PERIOD, 100, db.prisma);
    expect(all.grants.find((g) => g.id === 'g1')).toEqual({
      id: 'g1',
      environment: 'PROD',
      kind: 'SECRET_READ',
      userName: 'Minji Kim',
      teamName: 'Payments',
      principalArn: 'arn:aws:iam::111122223333:user/minji.kim',
      resourceArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:g1',
      // The window starts when the policy was applied.
      startsAt: at('2026-11-02T09:05:02Z'),
      endsAt: at('2026-11-02T11:05:00Z'),
      endedAt: at('2026-11-02T09:35:00Z'),
      endReason: 'GIVEN_BACK',
    });
  });

  it('every report starts from an index on its period column (EXPLAIN with sequential scans discouraged)', async () => {
    // The tables are tiny here, so the planner would rightly scan them; with sequential scans
    // priced out it shows whether an index can serve the period's range at all.
    const plan = async (sql: Prisma.Sql) =>
      db.prisma.$transaction(async (tx) => {
        await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
        const rows = await tx.$queryRaw<{ 'QUERY PLAN': string }[]>(Prisma.sql`EXPLAIN ${sql}`);
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      });
    expect(await plan(timeToApproveSql(PERIOD))).toMatch(/access_requests_created_at_id_idx/);
    expect(await plan(requestsSql(PERIOD))).toMatch(/access_requests_created_at_id_idx/);
    expect(await plan(breakGlassSql(PERIOD))).toMatch(/access_requests_created_at_id_idx/);
    expect(await plan(approverLoadSql(PERIOD, NOW))).toMatch(/decisions_created_at_idx/);
    expect(await plan(grantsSql(PERIOD, 40))).toMatch(/grants_starts_at_idx/);
  });
});
