import 'server-only';
import type { ApprovalRuleValues } from '@/lib/access/model';
import type { AccessStore, AccessTx, DecisionRecord, RequestRecord } from '@/lib/access/ports';
import { prisma } from '@/lib/server/db/connection';
import type { Prisma, PrismaClient } from '@/lib/server/db/generated/client';
import { appendAuditEvent } from '@/lib/server/db/repositories/audit-append';
import { findGrantInputs } from '@/lib/server/db/repositories/grant-preview';
import { findGrantRecordByRequest, grantTxAdapter } from '@/lib/server/db/repositories/grants';
import { grantPolicyName } from '@/lib/grants/policy';
import { createId } from '@/lib/server/db/ids';
import { insertNotification } from '@/lib/server/db/repositories/notifications';

export const requestSelect = {
  id: true,
  type: true,
  status: true,
  environment: true,
  requesterId: true,
  teamId: true,
  secretId: true,
  roleId: true,
  proposedSecret: true,
  justification: true,
  ticketRef: true,
  durationMinutes: true,
  startsAt: true,
  approvalsRequired: true,
  approverGroup: true,
  maxDurationMinutes: true,
  eligibleSecurityIds: true,
  eligibleLeadIds: true,
  pendingExpiresAt: true,
  breakGlass: true,
  breakGlassReason: true,
  extendsRequestId: true,
  version: true,
  createdAt: true,
  decidedAt: true,
} as const;

type RequestRow = Prisma.AccessRequestGetPayload<{ select: typeof requestSelect }>;

export function toRequestRecord(row: RequestRow): RequestRecord {
  return { ...row, proposedSecret: row.proposedSecret as RequestRecord['proposedSecret'] };
}

const decisionSelect = { id: true, requestId: true, approverId: true, kind: true, capacity: true, comment: true, createdAt: true } as const;

function toDecision(row: Prisma.DecisionGetPayload<{ select: typeof decisionSelect }>): DecisionRecord {
  return { ...row, capacity: row.capacity as DecisionRecord['capacity'] };
}

// Serializes one user's break-glass requests (two ints: the class, then the user's hash).
const BREAK_GLASS_LOCK_KEY = 7_316_002;

function txAdapter(tx: Prisma.TransactionClient): AccessTx {
  return {
    async loadRequest(id) {
      const row = await tx.accessRequest.findUnique({
        where: { id },
        select: { ...requestSelect, decisions: { select: decisionSelect, orderBy: { createdAt: 'asc' } } },
      });
      if (!row) return null;
      const { decisions, ...request } = row;
      return { request: toRequestRecord(request), decisions: decisions.map(toDecision) };
    },
    async insertRequest(data) {
      const row = await tx.accessRequest.create({
        data: { ...data, proposedSecret: data.proposedSecret ?? undefined },
        select: requestSelect,
      });
      return toRequestRecord(row);
    },
    async approverStanding(userId, teamId) {
      // FOR SHARE: an admin's concurrent role or membership change waits for this transaction.
      const [user] = await tx.$queryRaw<{ active: boolean; security: boolean }[]>`
        SELECT active, 'SECURITY'::"AppRole" = ANY(roles) AS security FROM users WHERE id = ${userId} FOR SHARE`;
      const [membership] = await tx.$queryRaw<{ is_lead: boolean }[]>`
        SELECT is_lead FROM team_memberships WHERE user_id = ${userId} AND team_id = ${teamId} FOR SHARE`;
      return { active: user?.active ?? false, security: user?.security ?? false, leadOfTeam: membership?.is_lead ?? false };
    },
    async insertDecision(data) {
      return toDecision(await tx.decision.create({ data, select: decisionSelect }));
    },
    async updateRequest(id, expectedVersion, patch) {
      const { count } = await tx.accessRequest.updateMany({ where: { id, version: expectedVersion }, data: { ...patch, version: { increment: 1 } } });
      return count === 1;
    },
    async breakGlassUsage(userId, teamId, since) {
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(${BREAK_GLASS_LOCK_KEY}, hashtext(${userId}))::text AS locked`;
      const [member, active, recent] = await Promise.all([
        tx.teamMembership.count({ where: { userId, teamId } }),
        // Active: its grant is not ending or ended (a revoked or given-back grant no longer counts
        // while its removal from AWS finishes).
        tx.accessRequest.count({
          where: {
            requesterId: userId,
            breakGlass: true,
            status: { in: ['APPROVED', 'ACTIVE'] },
            grant: { is: { status: { in: ['PENDING', 'GRANT_FAILED', 'ACTIVE'] } } },
          },
        }),
        // A break-glass request is decided (approved) when it is made, by the service's clock.
        tx.accessRequest.count({ where: { requesterId: userId, breakGlass: true, decidedAt: { gt: since } } }),
      ]);
      return { member: member > 0, active, recent };
    },
    async grantOfRequest(requestId) {
      const grant = await findGrantRecordByRequest(tx, requestId);
      return grant ? { grant, tx: grantTxAdapter(tx) } : null;
    },
    async insertBreakGlassReview(review) {
      const existing = await tx.breakGlassReview.findUnique({ where: { requestId: review.requestId }, select: { requestId: true } });
      if (existing) return false;
      await tx.breakGlassReview.create({ data: review });
      return true;
    },
    async appendAudit(entry, origin) {
      await appendAuditEvent(tx, entry, origin);
    },
    async describeRequest(id) {
      const row = await tx.accessRequest.findUnique({
        where: { id },
        select: {
          type: true,
          environment: true,
          proposedSecret: true,
          requester: { select: { name: true } },
          secret: { select: { name: true } },
          role: { select: { function: true, team: { select: { slug: true } } } },
        },
      });
      if (!row) return null;
      // The same target label as the request pages (requests-read.ts).
      const targetName =
        row.type === 'SECRET_READ'
          ? (row.secret?.name ?? '?')
          : row.type === 'ROLE'
            ? `${row.role?.team.slug ?? '?'}/${row.environment.toLowerCase()}/${row.role?.function ?? '?'}`
            : ((row.proposedSecret as RequestRecord['proposedSecret'])?.name ?? '?');
      return { requesterName: row.requester.name, targetName };
    },
    grantInputs(requestId, account) {
      return findGrantInputs(requestId, account, tx);
    },
    newGrantId() {
      return createId();
    },
    async insertGrant(requestId, id, grant, now) {
      return tx.grant.create({
        data: {
          id,
          requestId,
          kind: grant.kind,
          setup: grant.setup ? (grant.setup as unknown as Prisma.InputJsonValue) : undefined,
          status: 'PENDING',
          principalKind: grant.principal.kind,
          principalName: grant.principal.name,
          principalArn: grant.principal.arn,
          policyName: grantPolicyName(id),
          policy: grant.policy as unknown as Prisma.InputJsonValue,
          resourceArn: grant.resourceArn,
          startsAt: grant.startsAt,
          endsAt: grant.endsAt,
          nextAttemptAt: grant.startsAt > now ? grant.startsAt : now,
        },
        select: { id: true },
      });
    },
    async enqueueNotification(notification) {
      await insertNotification(tx, notification);
    },
  };
}

/** The access store on the portal's database. */
export function createAccessStore(db: PrismaClient = prisma()): AccessStore {
  return {
    async hasPrincipal(userId, accountId) {
      return (await db.awsPrincipal.count({ where: { userId, accountId } })) > 0;
    },
    transaction(work) {
      return db.$transaction((tx) => work(txAdapter(tx)), { maxWait: 10_000, timeout: 20_000 });
    },
    async findSecret(id) {
      return db.catalogSecret.findUnique({ where: { id }, select: { id: true, name: true, environment: true, teamId: true, active: true, arn: true } });
    },
    async findRole(id) {
      const row = await db.catalogRole.findUnique({
        where: { id },
        select: { id: true, teamId: true, environment: true, function: true, active: true, team: { select: { slug: true } } },
      });
      return row ? { id: row.id, teamId: row.teamId, teamSlug: row.team.slug, environment: row.environment, function: row.function, active: row.active } : null;
    },
    async findTeam(id) {
      return db.team.findUnique({ where: { id }, select: { id: true, slug: true } });
    },
    async secretNameTaken(name) {
      const [secret, pending] = await Promise.all([
        db.catalogSecret.findUnique({ where: { name }, select: { id: true } }),
        db.accessRequest.findFirst({
          where: { type: 'SECRET_REGISTER', status: { in: ['PENDING', 'APPROVED', 'ACTIVE'] }, proposedSecret: { path: ['name'], equals: name } },
          select: { id: true },
        }),
      ]);
      return Boolean(secret || pending);
    },
    async findRule(type, environment): Promise<ApprovalRuleValues | null> {
      return db.approvalRule.findUnique({
        where: { requestType_environment: { requestType: type, environment } },
        select: { approvalsRequired: true, approverGroup: true, maxDurationMinutes: true, pendingTtlMinutes: true, breakGlassAllowed: true },
      });
    },
    async listSecurityUserIds() {
      // Raw: the PGlite adapter mis-encodes an enum-array `has` filter ("malformed array literal").
      const rows = await db.$queryRaw<{ id: string }[]>`SELECT id FROM users WHERE active AND 'SECURITY'::"AppRole" = ANY(roles) ORDER BY id`;
      return rows.map((r) => r.id);
    },
    async listTeamLeadIds(teamId) {
      const rows = await db.teamMembership.findMany({
        where: { teamId, isLead: true, user: { active: true } },
        select: { userId: true },
        orderBy: { userId: 'asc' },
      });
      return rows.map((r) => r.userId);
    },
    async listOverduePending(now, limit) {
      const rows = await db.accessRequest.findMany({
        where: { status: 'PENDING', pendingExpiresAt: { lte: now } },
        select: { id: true },
        orderBy: { pendingExpiresAt: 'asc' },
        take: limit,
      });
      return rows.map((r) => r.id);
    },
  };
}
