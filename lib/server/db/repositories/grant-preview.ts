import 'server-only';
import type { GrantInputs } from '@/lib/grants/build-grant';
import { prisma } from '@/lib/server/db/db';
import type { PrismaClient } from '@/lib/server/db/generated/client';

/** What the policy preview of a pending request needs (the same inputs the approval will use). */
export async function findGrantInputs(requestId: string, db: PrismaClient = prisma()): Promise<GrantInputs> {
  const row = await db.accessRequest.findUniqueOrThrow({
    where: { id: requestId },
    select: { secret: { select: { arn: true, kmsKeyArn: true } }, requester: { select: { awsPrincipal: { select: { kind: true, name: true, arn: true } } } } },
  });
  return { principal: row.requester.awsPrincipal, secret: row.secret };
}
