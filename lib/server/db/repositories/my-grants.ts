import 'server-only';
import type { GrantSetup } from '@/lib/grants/model';
import { prisma } from '@/lib/server/db/connection';
import type { PrismaClient } from '@/lib/server/db/generated/client';

/**
 * The caller's grants that still give or will give access (pending, active, failed, ending), soonest
 * end first: what `gatehouse status` and `gatehouse credentials` show. Only the caller's own: the
 * holder is the requester.
 */
export async function listOwnOpenGrants(userId: string, db: PrismaClient = prisma()) {
  const rows = await db.grant.findMany({
    where: { request: { requesterId: userId }, status: { in: ['PENDING', 'ACTIVE', 'GRANT_FAILED', 'ENDING'] } },
    select: {
      id: true,
      requestId: true,
      kind: true,
      status: true,
      setup: true,
      principalArn: true,
      resourceArn: true,
      startsAt: true,
      endsAt: true,
      request: {
        select: {
          environment: true,
          secret: { select: { name: true } },
          role: { select: { function: true, team: { select: { slug: true } } } },
        },
      },
    },
    orderBy: [{ endsAt: 'asc' }, { id: 'asc' }],
    take: 200,
  });
  return rows.map(({ request, setup: stored, ...g }) => {
    const setup = stored as unknown as GrantSetup | null;
    // What the grant is for, as people name it: the secret, the team role (team/function), or the new secret.
    const target =
      request.secret?.name ??
      (request.role
        ? `${request.role.team.slug}/${request.environment.toLowerCase()}/${request.role.function}`
        : setup?.kind === 'CREATE_SECRET'
          ? setup.name
          : g.resourceArn);
    return { ...g, environment: request.environment, target, setup };
  });
}
