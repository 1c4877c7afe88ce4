import 'server-only';
import { prisma } from '@/lib/server/db/connection';
import type { PrismaClient } from '@/lib/server/db/generated/client';

/**
 * Ends a session on the server: its cookie is refused from now on (docs/decisions/031). Idempotent;
 * rows of sessions whose cookies have expired anyway are removed on the way.
 */
export async function revokeSession(session: { id: string; userId: string; expiresAt: Date }, db: PrismaClient = prisma()): Promise<void> {
  await db.$transaction([
    db.revokedSession.deleteMany({ where: { expiresAt: { lt: new Date() } } }),
    db.revokedSession.upsert({ where: { id: session.id }, create: session, update: {} }),
  ]);
}

/** True when the session was ended on the server. */
export async function isSessionRevoked(id: string, db: PrismaClient = prisma()): Promise<boolean> {
  return (await db.revokedSession.findUnique({ where: { id }, select: { id: true } })) !== null;
}
