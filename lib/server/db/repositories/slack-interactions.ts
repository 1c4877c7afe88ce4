import 'server-only';
import { prisma } from '@/lib/server/db/connection';
import type { PrismaClient } from '@/lib/server/db/generated/client';

/**
 * Records a verified Slack payload by its signature until `expiresAt` (docs/decisions/047): true
 * the first time, false when it was already recorded — a replay, refused by every replica alike
 * (the primary key decides between two at the same instant). Rows whose window has passed are
 * deleted on the way.
 */
export async function recordSlackInteraction(signature: string, expiresAt: Date, now: Date, db: PrismaClient = prisma()): Promise<boolean> {
  await db.slackInteraction.deleteMany({ where: { expiresAt: { lt: now } } });
  const inserted = await db.$executeRaw`
    INSERT INTO slack_interactions (signature, expires_at) VALUES (${signature}, ${expiresAt})
    ON CONFLICT (signature) DO NOTHING`;
  return inserted === 1;
}
