import 'server-only';
import { createChainVerifier, type ChainBreak } from '@/lib/audit/hash-chain';
import type { AuditFilter } from '@/lib/audit/schemas';
import { prisma } from '@/lib/server/db/db';
import type { Prisma, PrismaClient } from '@/lib/server/db/generated/client';

export const auditSelect = {
  seq: true,
  occurredAt: true,
  actorId: true,
  actorName: true,
  action: true,
  targetType: true,
  targetId: true,
  environment: true,
  teamId: true,
  requestId: true,
  before: true,
  after: true,
  ip: true,
  userAgent: true,
  prevHash: true,
  hash: true,
} as const;

export type AuditRow = Prisma.AuditEventGetPayload<{ select: typeof auditSelect }>;

function where(f: Omit<AuditFilter, 'cursor' | 'limit'>): Prisma.AuditEventWhereInput {
  return {
    ...(f.actor ? { actorId: f.actor } : {}),
    ...(f.action ? { action: f.action } : {}),
    ...(f.environment ? { environment: f.environment } : {}),
    ...(f.team ? { teamId: f.team } : {}),
    ...(f.request ? { requestId: f.request } : {}),
    ...(f.from || f.to ? { occurredAt: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lte: f.to } : {}) } } : {}),
    ...(f.q
      ? {
          OR: [
            { actorName: { contains: f.q, mode: 'insensitive' } },
            { targetId: { contains: f.q } },
            { action: { contains: f.q.toLowerCase() } },
          ],
        }
      : {}),
  };
}

/** One page of the history, newest first; the cursor is the last seq seen (keyset, no OFFSET). */
export async function listAuditEvents(filter: AuditFilter, db: PrismaClient = prisma()): Promise<{ events: AuditRow[]; nextCursor: number | null }> {
  const rows = await db.auditEvent.findMany({
    where: { ...where(filter), ...(filter.cursor ? { seq: { lt: filter.cursor } } : {}) },
    select: auditSelect,
    orderBy: { seq: 'desc' },
    take: filter.limit + 1,
  });
  const events = rows.slice(0, filter.limit);
  return { events, nextCursor: rows.length > filter.limit ? (events.at(-1)?.seq ?? null) : null };
}

/** Streams every event matching the filter, oldest first, in batches (exports never hold the whole set). */
export async function* streamAuditEvents(filter: Omit<AuditFilter, 'cursor' | 'limit'>, db: PrismaClient = prisma(), batch = 1000): AsyncGenerator<AuditRow> {
  let after = 0;
  for (;;) {
    const rows = await db.auditEvent.findMany({ where: { ...where(filter), seq: { gt: after } }, select: auditSelect, orderBy: { seq: 'asc' }, take: batch });
    for (const row of rows) yield row;
    if (rows.length < batch) return;
    after = rows.at(-1)!.seq;
  }
}

export interface ChainReport {
  ok: boolean;
  checked: number;
  firstBreak: ChainBreak | null;
  verifiedAt: string;
}

/** Recomputes the whole chain in seq order and compares its end with the stored head. */
export async function verifyAuditChain(db: PrismaClient = prisma()): Promise<ChainReport> {
  const verifier = createChainVerifier();
  let firstBreak: ChainBreak | null = null;
  for await (const row of streamAuditEvents({}, db, 2000)) {
    firstBreak = verifier.push(row);
    if (firstBreak) break;
  }
  if (!firstBreak) firstBreak = verifier.finish(await db.auditHead.findUnique({ where: { id: 1 }, select: { seq: true, hash: true } }));
  return { ok: !firstBreak, checked: verifier.checked, firstBreak, verifiedAt: new Date().toISOString() };
}
