import 'server-only';
import { z } from 'zod';
import type { GrantInputs } from '@/lib/grants/build-grant';
import { prisma } from '@/lib/server/db/connection';
import type { Prisma, PrismaClient } from '@/lib/server/db/generated/client';

/** A catalog role's permissions as stored (validated by the catalog form when written). */
const rolePermissionsSchema = z.array(z.object({ actions: z.array(z.string()), resources: z.array(z.string()) }));

/**
 * What turning a request into a grant needs: the requester's AWS identity in the account of the
 * request's environment, the secret's ARN, the catalog role and the team. Read the same way for the
 * preview before a decision and inside the approval's transaction.
 */
export async function findGrantInputs(
  requestId: string,
  account: { accountId: string; region: string },
  db: PrismaClient | Prisma.TransactionClient = prisma(),
): Promise<GrantInputs> {
  const row = await db.accessRequest.findUniqueOrThrow({
    where: { id: requestId },
    select: {
      secret: { select: { arn: true, kmsKeyArn: true } },
      role: { select: { function: true, description: true, policy: true } },
      team: { select: { id: true, slug: true } },
      requester: { select: { email: true, awsPrincipals: { where: { accountId: account.accountId }, select: { kind: true, name: true, arn: true } } } },
    },
  });
  const permissions = row.role ? rolePermissionsSchema.safeParse(row.role.policy) : null;
  return {
    principal: row.requester.awsPrincipals[0] ?? null,
    secret: row.secret,
    role: row.role ? { function: row.role.function, description: row.role.description, permissions: permissions?.success ? permissions.data : [] } : null,
    team: row.team,
    requesterEmail: row.requester.email,
    // The environment's account and its primary region: new secrets and team roles are made there.
    account: { accountId: account.accountId, region: account.region },
  };
}
