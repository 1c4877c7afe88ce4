import 'server-only';
import type { GrantRecord, GrantSetup, GrantStatus } from '@/lib/grants/model';
import type { PolicyDocument } from '@/lib/grants/policy';
import type { GrantStore, GrantTx } from '@/lib/grants/ports';
import { prisma } from '@/lib/server/db/connection';
import type { Environment, Prisma, PrismaClient } from '@/lib/server/db/generated/client';
import { appendAuditEvent } from '@/lib/server/db/repositories/audit-append';

const grantSelect = {
  id: true,
  requestId: true,
  kind: true,
  setup: true,
  setupAt: true,
  status: true,
  principalKind: true,
  principalName: true,
  principalArn: true,
  policyName: true,
  policyArn: true,
  policy: true,
  resourceArn: true,
  startsAt: true,
  endsAt: true,
  attempts: true,
  nextAttemptAt: true,
  lastError: true,
  endReason: true,
  version: true,
  request: { select: { requesterId: true, environment: true, teamId: true } },
} as const;

type GrantRow = Prisma.GrantGetPayload<{ select: typeof grantSelect }>;

function toRecord(row: GrantRow): GrantRecord {
  const { principalKind, principalName, principalArn, request, policy, setup, ...rest } = row;
  return {
    ...rest,
    setup: setup as unknown as GrantSetup | null,
    policy: policy as unknown as PolicyDocument,
    principal: { kind: principalKind, name: principalName, arn: principalArn },
    requesterId: request.requesterId,
    environment: request.environment,
    teamId: request.teamId,
  };
}

/** The grant engine's storage on the portal's database. */
export function createGrantStore(db: PrismaClient = prisma()): GrantStore {
  return {
    async find(id) {
      const row = await db.grant.findUnique({ where: { id }, select: grantSelect });
      return row ? toRecord(row) : null;
    },
    async findByRequest(requestId) {
      const row = await db.grant.findUnique({ where: { requestId }, select: grantSelect });
      return row ? toRecord(row) : null;
    },
    async lease(id, statuses, now, leaseMs) {
      const applying = statuses.some((s) => s === 'PENDING' || s === 'GRANT_FAILED');
      // One conditional UPDATE: of several replicas, exactly one gets the lease.
      const { count } = await db.grant.updateMany({
        where: {
          id,
          status: { in: [...statuses] },
          nextAttemptAt: { lte: now },
          ...(applying ? { startsAt: { lte: now } } : {}),
          OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }],
        },
        data: { leaseUntil: new Date(now.getTime() + leaseMs), version: { increment: 1 } },
      });
      if (count !== 1) return null;
      const row = await db.grant.findUnique({ where: { id }, select: grantSelect });
      return row ? toRecord(row) : null;
    },
    async listDue(now, limit) {
      const [apply, expire, remove] = await Promise.all([
        db.grant.findMany({
          where: { status: { in: ['PENDING', 'GRANT_FAILED'] }, nextAttemptAt: { lte: now }, startsAt: { lte: now } },
          select: { id: true },
          orderBy: { nextAttemptAt: 'asc' },
          take: limit,
        }),
        db.grant.findMany({ where: { status: 'ACTIVE', endsAt: { lte: now } }, select: { id: true }, orderBy: { endsAt: 'asc' }, take: limit }),
        db.grant.findMany({ where: { status: 'ENDING', nextAttemptAt: { lte: now } }, select: { id: true }, orderBy: { nextAttemptAt: 'asc' }, take: limit }),
      ]);
      return { apply: apply.map((r) => r.id), expire: expire.map((r) => r.id), remove: remove.map((r) => r.id) };
    },
    transaction(work) {
      return db.$transaction((tx) => work(grantTxAdapter(tx)), { maxWait: 10_000, timeout: 20_000 });
    },
  };
}

/** The grant of a request as the engine works with it, read with the caller's client or transaction. */
export async function findGrantRecordByRequest(client: Prisma.TransactionClient, requestId: string): Promise<GrantRecord | null> {
  const row = await client.grant.findUnique({ where: { requestId }, select: grantSelect });
  return row ? toRecord(row) : null;
}

/** The grant engine's transaction port over a Prisma transaction (also used inside the access store's). */
export function grantTxAdapter(tx: Prisma.TransactionClient): GrantTx {
  return {
    async update(id, version, patch) {
      const { policy, ...rest } = patch;
      const data = { ...rest, ...(policy ? { policy: policy as unknown as Prisma.InputJsonValue } : {}), version: { increment: 1 } };
      const { count } = await tx.grant.updateMany({ where: { id, version }, data });
      return count === 1;
    },
    async registerCatalogSecret(secret) {
      const environment = secret.environment as Environment;
      await tx.catalogSecret.upsert({
        where: { name: secret.name },
        create: { name: secret.name, environment, teamId: secret.teamId, description: secret.description, arn: secret.arn, kmsKeyArn: secret.kmsKeyArn },
        // Registered before (a retry): the ARN is the one AWS gave; nothing else is overwritten.
        update: { arn: secret.arn },
      });
    },
    async setRequestStatus(requestId, from, to, now, endReason) {
      const { count } = await tx.accessRequest.updateMany({
        where: { id: requestId, status: { in: from as GrantStatusLike[] } },
        data: { status: to, version: { increment: 1 }, ...(to === 'ENDED' ? { endedAt: now, endReason: endReason ?? null } : {}) },
      });
      return count === 1;
    },
    async appendAudit(entry, origin) {
      await appendAuditEvent(tx, entry, origin);
    },
  };
}

type GrantStatusLike = 'PENDING' | 'APPROVED' | 'REJECTED' | 'CANCELLED' | 'EXPIRED' | 'ACTIVE' | 'ENDED';

export interface GrantView {
  id: string;
  kind: GrantRecord['kind'];
  setup: GrantSetup | null;
  setupAt: Date | null;
  status: GrantStatus;
  policyName: string;
  policyArn: string | null;
  policy: PolicyDocument;
  principalArn: string;
  resourceArn: string;
  startsAt: Date;
  endsAt: Date;
  appliedAt: Date | null;
  endedAt: Date | null;
  endReason: string | null;
  endComment: string | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date;
}

/** What a grant's page (and the home page) show of it. */
export const grantViewSelect = {
  id: true,
  kind: true,
  setup: true,
  setupAt: true,
  status: true,
  policyName: true,
  policyArn: true,
  policy: true,
  principalArn: true,
  resourceArn: true,
  startsAt: true,
  endsAt: true,
  appliedAt: true,
  endedAt: true,
  endReason: true,
  endComment: true,
  attempts: true,
  lastError: true,
  nextAttemptAt: true,
} as const;

/** A selected grant row as the pages take it (the JSON columns typed). */
export function toGrantView(row: Prisma.GrantGetPayload<{ select: typeof grantViewSelect }>): GrantView {
  return { ...row, setup: row.setup as unknown as GrantSetup | null, policy: row.policy as unknown as PolicyDocument };
}

/** The grant of a request, for its page. */
export async function findGrantView(requestId: string, db: PrismaClient = prisma()): Promise<GrantView | null> {
  const row = await db.grant.findUnique({ where: { requestId }, select: grantViewSelect });
  return row ? toGrantView(row) : null;
}
