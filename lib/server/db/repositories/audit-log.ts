import 'server-only';
import type { AuditLog } from '@/lib/audit/model';
import { prisma } from '@/lib/server/db/connection';
import type { PrismaClient } from '@/lib/server/db/generated/client';
import { appendAuditEvent } from '@/lib/server/db/repositories/audit-append';

/**
 * The audit log of changes made outside the database (an alarm's state in CloudWatch, the
 * reconciler's IAM fixes): there is no row to commit with, so each event is its own transaction,
 * appended once the outside system accepted the change (docs/decisions/029-one-audit-path.md).
 */
export function createAuditLog(db: PrismaClient = prisma()): AuditLog {
  return {
    async appendAudit(entry, origin) {
      await db.$transaction((tx) => appendAuditEvent(tx, entry, origin), { maxWait: 10_000, timeout: 20_000 });
    },
  };
}
