import 'server-only';
import type { GrantInputs } from '@/lib/grants/build-grant';
import { prisma } from '@/lib/server/db/db';
import type { Prisma, PrismaClient } from '@/lib/server/db/generated/client';

/**
 * What turning a request into a grant needs: the requester's AWS identity and the secret's ARN.
 * Read the same way for the preview before a decision and inside the approval's transaction.
 */
export async function findGrantInputs(requestId: string, db: PrismaClient | Prisma.TransactionClient = prisma()): Promise<GrantInputs> {
  const row = await db.accessRequest.findUniqueOrThrow({
    where: { id: requestId },
    select: { secret: { select: { arn: true, kmsKeyArn: true } }, requester: { select: { awsPrincipal: { select: { kind: true, name: true, arn: true } } } } },
  });
  return { principal: row.requester.awsPrincipal, secret: row.secret };
}
