import 'server-only';
import { auditEntry, type AuditActor, type RequestOrigin } from '@/lib/audit/model';
import type { AuditAction } from '@/lib/audit/actions';
import type { ControlPlaneChange, ControlPlaneChangeKind } from '@/lib/control-plane/model';
import type { NewChange, ProposalAuthor } from '@/lib/control-plane/proposal';
import { prisma } from '@/lib/server/db/connection';
import { Prisma, type PrismaClient } from '@/lib/server/db/generated/client';
import { appendAuditEvent } from '@/lib/server/db/repositories/audit-append';

type Tx = Prisma.TransactionClient;

// Proposals take this transaction-scoped lock before superseding the open proposal of their target,
// so two proposals at the same instant cannot both stay open.
const PROPOSAL_LOCK_KEY = 7_316_032;

export const changeSelect = {
  id: true,
  kind: true,
  status: true,
  targetKey: true,
  targetLabel: true,
  environment: true,
  before: true,
  payload: true,
  authorId: true,
  authorName: true,
  createdAt: true,
  decidedById: true,
  decidedByName: true,
  decidedAt: true,
  comment: true,
} as const;

export const toJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;

/** The audit event of one step of a change: target is the change's label, before/after the target and the proposal. */
export async function auditChange(tx: Tx, action: AuditAction, actor: AuditActor, change: ControlPlaneChange, origin: RequestOrigin | null): Promise<void> {
  await appendAuditEvent(
    tx,
    auditEntry(
      actor,
      action,
      { type: 'control_plane_change', id: change.targetLabel },
      {
        environment: change.environment,
        before: change.before,
        after: {
          changeId: change.id,
          kind: change.kind,
          status: change.status,
          authorId: change.authorId,
          authorName: change.authorName,
          payload: change.payload,
          comment: change.comment,
        },
      },
      new Date(),
    ),
    origin,
  );
}

/**
 * Records a proposal inside the caller's transaction ('control_plane.change.proposed'); an open
 * proposal for the same target is superseded ('control_plane.change.superseded'). Nothing of the
 * target changes until another security or admin user approves it.
 */
/** Serializes proposals and decisions: a decision and a superseding proposal never interleave. */
export async function lockProposals(tx: Tx): Promise<void> {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(${PROPOSAL_LOCK_KEY})::text AS locked`;
}

export async function proposeChange(tx: Tx, change: NewChange, author: ProposalAuthor, origin: RequestOrigin | null): Promise<ControlPlaneChange> {
  await lockProposals(tx);
  const now = new Date();
  const open = await tx.controlPlaneChange.findMany({ where: { targetKey: change.targetKey, status: 'PROPOSED' }, select: changeSelect });
  for (const old of open) {
    // Conditional as well as locked: a change decided meanwhile is never marked superseded.
    const { count } = await tx.controlPlaneChange.updateMany({ where: { id: old.id, status: 'PROPOSED' }, data: { status: 'SUPERSEDED', decidedAt: now } });
    if (count === 1) await auditChange(tx, 'control_plane.change.superseded', author, { ...old, status: 'SUPERSEDED' }, origin);
  }
  const row = await tx.controlPlaneChange.create({
    data: {
      kind: change.kind,
      targetKey: change.targetKey,
      targetLabel: change.targetLabel,
      environment: change.environment,
      before: change.before === null || change.before === undefined ? Prisma.DbNull : toJson(change.before),
      payload: toJson(change.payload),
      authorId: author.id,
      authorName: author.name,
      createdAt: now,
    },
    select: changeSelect,
  });
  await auditChange(tx, 'control_plane.change.proposed', author, row, origin);
  return row;
}

/** Proposals awaiting a second approver, oldest first; `kinds` narrows them to one page's. */
export async function listOpenChanges(kinds?: readonly ControlPlaneChangeKind[], db: PrismaClient = prisma()): Promise<ControlPlaneChange[]> {
  return db.controlPlaneChange.findMany({
    where: { status: 'PROPOSED', ...(kinds ? { kind: { in: [...kinds] } } : {}) },
    select: changeSelect,
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
}

/** One change, or null. */
export async function findChange(id: string, db: PrismaClient = prisma()): Promise<ControlPlaneChange | null> {
  return db.controlPlaneChange.findUnique({ where: { id }, select: changeSelect });
}
