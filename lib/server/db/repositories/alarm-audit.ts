import 'server-only';
import type { AuditEntry, RequestOrigin } from '@/lib/audit/model';
import { prisma } from '@/lib/server/db/db';
import type { PrismaClient } from '@/lib/server/db/generated/client';
import { appendAuditEvent } from '@/lib/server/db/repositories/audit-append';

/** Records an alarm state change made from the portal in the audit history (after CloudWatch accepted it). */
export async function recordAlarmStateChange(entry: AuditEntry, origin: RequestOrigin | null, db: PrismaClient = prisma()): Promise<void> {
  await db.$transaction((tx) => appendAuditEvent(tx, entry, origin));
}
