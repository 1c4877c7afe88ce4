import 'server-only';
import { GENESIS_HASH, hashEvent, type ChainedEvent } from '@/lib/audit/hash-chain';
import type { AuditEntry, RequestOrigin } from '@/lib/audit/model';
import { Prisma } from '@/lib/server/db/generated/client';

type Tx = Prisma.TransactionClient;

// One lock for the whole chain: appends are serialized, so seq is gapless and each event links to
// the one committed before it. Held only until the surrounding transaction ends.
const AUDIT_LOCK_KEY = 7_316_001;

/** JSON as the database will give it back (dates as ISO strings, no undefined). */
function toJson(value: unknown): Prisma.InputJsonValue | null {
  return value === undefined || value === null ? null : (JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue);
}

/** Appends one event to the hash-chained audit history inside the caller's transaction. */
export async function appendAuditEvent(tx: Tx, entry: AuditEntry, origin: RequestOrigin | null): Promise<{ seq: number; hash: string }> {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})::text AS locked`;
  const head = await tx.auditHead.findUnique({ where: { id: 1 }, select: { seq: true, hash: true } });
  const event: ChainedEvent = {
    seq: (head?.seq ?? 0) + 1,
    occurredAt: entry.occurredAt,
    actorId: entry.actorId,
    actorName: entry.actorName,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    environment: entry.environment ?? null,
    teamId: entry.teamId ?? null,
    requestId: entry.requestId ?? null,
    before: toJson(entry.before),
    after: toJson(entry.after),
    ip: origin?.ip ?? null,
    userAgent: origin?.userAgent ? origin.userAgent.slice(0, 512) : null,
    prevHash: head?.hash ?? GENESIS_HASH,
  };
  const hash = hashEvent(event);
  await tx.auditEvent.create({
    data: {
      ...event,
      environment: event.environment as AuditEntry['environment'],
      before: event.before === null ? Prisma.DbNull : (event.before as Prisma.InputJsonValue),
      after: event.after === null ? Prisma.DbNull : (event.after as Prisma.InputJsonValue),
      hash,
    },
  });
  await tx.auditHead.upsert({ where: { id: 1 }, create: { id: 1, seq: event.seq, hash }, update: { seq: event.seq, hash } });
  return { seq: event.seq, hash };
}
