import 'server-only';
import { prisma } from '@/lib/server/db/connection';
import type { PrismaClient } from '@/lib/server/db/generated/client';

/** Pages whose news the home page counts since the user's last visit (docs/decisions/049-home-page.md). */
export type VisitedPage = 'iam-audit';

/** Records that the user opened the page now (one row per user and page, overwritten). */
export async function recordPageVisit(userId: string, page: VisitedPage, at: Date, db: PrismaClient = prisma()): Promise<void> {
  await db.pageVisit.upsert({ where: { userId_page: { userId, page } }, create: { userId, page, visitedAt: at }, update: { visitedAt: at } });
}

/** When the user last opened the page; null if never. */
export async function findPageVisit(userId: string, page: VisitedPage, db: PrismaClient = prisma()): Promise<Date | null> {
  const row = await db.pageVisit.findUnique({ where: { userId_page: { userId, page } }, select: { visitedAt: true } });
  return row?.visitedAt ?? null;
}
