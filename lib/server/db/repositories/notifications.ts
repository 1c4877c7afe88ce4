import 'server-only';
import type { SlackPayload } from '@/lib/notifications/model';
import type { ClaimedNotification, NewNotification, NotificationOutbox } from '@/lib/notifications/ports';
import { prisma } from '@/lib/server/db/connection';
import type { Prisma, PrismaClient } from '@/lib/server/db/generated/client';

// The notification outbox (docs/decisions/006-notifications.md): rows are written in the
// transaction of the change they report and delivered later by lib/server/notifications/deliver.ts.

/** Queues a notification inside the caller's transaction; due at once. */
export async function insertNotification(tx: Prisma.TransactionClient, n: NewNotification): Promise<void> {
  await tx.notification.create({
    data: {
      kind: n.kind,
      requestId: n.requestId,
      payload: n.payload as unknown as Prisma.InputJsonValue,
      createdAt: n.createdAt,
      nextAttemptAt: n.createdAt,
      targetUrl: n.targetUrl ?? null,
    },
    select: { id: true },
  });
}

const claimedSelect = { id: true, kind: true, requestId: true, payload: true, attempts: true, targetUrl: true } as const;

/** The outbox on the portal's database, for the delivery job. */
export function createNotificationOutbox(db: PrismaClient = prisma()): NotificationOutbox {
  return {
    async claimDue(now, limit, leaseUntil) {
      const rows = await db.$transaction(
        async (tx) => {
          // SKIP LOCKED (which Prisma cannot express): a replica claiming at the same moment
          // passes over these rows instead of waiting for them, and after this commit they are
          // no longer due until the lease ends, so each one is sent by one run only.
          const due = await tx.$queryRaw<{ id: string }[]>`
            SELECT id FROM notifications
            WHERE status = 'PENDING' AND next_attempt_at <= ${now}
            ORDER BY next_attempt_at, id
            LIMIT ${limit}
            FOR UPDATE SKIP LOCKED`;
          if (due.length === 0) return [];
          const ids = due.map((r) => r.id);
          await tx.notification.updateMany({ where: { id: { in: ids } }, data: { attempts: { increment: 1 }, nextAttemptAt: leaseUntil } });
          return tx.notification.findMany({ where: { id: { in: ids } }, select: claimedSelect, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
        },
        { maxWait: 10_000, timeout: 20_000 },
      );
      return rows.map((r): ClaimedNotification => ({ ...r, payload: r.payload as unknown as SlackPayload }));
    },
    async markSent(id, attempts, sentAt) {
      const { count } = await db.notification.updateMany({ where: { id, attempts, status: 'PENDING' }, data: { status: 'SENT', sentAt, targetUrl: null } });
      return count === 1;
    },
    async markFailed(id, attempts, failure) {
      const { count } = await db.notification.updateMany({
        where: { id, attempts, status: 'PENDING' },
        data: {
          status: failure.final ? 'FAILED' : 'PENDING',
          lastError: failure.error.slice(0, 1000),
          nextAttemptAt: failure.nextAttemptAt,
          // A response_url lets whoever holds it post to the channel for a while: kept no longer than needed.
          ...(failure.final ? { targetUrl: null } : {}),
        },
      });
      return count === 1;
    },
    async release(id, attempts, nextAttemptAt) {
      const { count } = await db.notification.updateMany({ where: { id, attempts, status: 'PENDING' }, data: { attempts: { decrement: 1 }, nextAttemptAt } });
      return count === 1;
    },
  };
}
