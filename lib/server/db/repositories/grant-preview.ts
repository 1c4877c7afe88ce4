import 'server-only';
import { z } from 'zod';
import type { GrantInputs } from '@/lib/grants/build-grant';
import { prisma } from '@/lib/server/db/connection';
import type { Prisma, PrismaClient } from '@/lib/server/db/generated/client';
import { routeFor } from '@/lib/cloud/accounts';
import { cloudRoutes } from '@/lib/server/cloud/adapters';

/** A catalog role's permissions as stored (validated by the catalog form when written). */
const rolePermissionsSchema = z.array(z.object({ actions: z.array(z.string()), resources: z.array(z.string()) }));

/**
 * What turning a request into a grant needs: the requester's AWS identity, the secret's ARN, the
 * catalog role, the team and the environment's account. Read the same way for the preview before a decision and inside the
 * approval's transaction.
 */
export async function findGrantInputs(requestId: string, db: PrismaClient | Prisma.TransactionClient = prisma()): Promise<GrantInputs> {
  const row = await db.accessRequest.findUniqueOrThrow({
    where: { id: requestId },
    select: {
      environment: true,
      secret: { select: { arn: true, kmsKeyArn: true } },
      role: { select: { function: true, description: true, policy: true } },
      team: { select: { id: true, slug: true } },
      requester: { select: { email: true, awsPrincipal: { select: { kind: true, name: true, arn: true } } } },
    },
  });
  // The environment's account: one account (nothing configured) is the portal's own, in AWS_REGION.
  const route = routeFor(cloudRoutes(), row.environment);
  const permissions = row.role ? rolePermissionsSchema.safeParse(row.role.policy) : null;
  return {
    principal: row.requester.awsPrincipal,
    secret: row.secret,
    role: row.role ? { function: row.role.function, description: row.role.description, permissions: permissions?.success ? permissions.data : [] } : null,
    team: row.team,
    requesterEmail: row.requester.email,
    account: { accountId: route.accountId, region: route.primaryRegion },
  };
}
