import 'server-only';
import { prisma } from '@/lib/server/db/connection';
import type { PrismaClient } from '@/lib/server/db/generated/client';

/** The catalog for the request form: active secrets and roles with their team. */
export async function listCatalog(db: PrismaClient = prisma()) {
  const [secrets, roles, teams] = await Promise.all([
    db.catalogSecret.findMany({
      select: { id: true, name: true, environment: true, description: true, arn: true, active: true, team: { select: { id: true, name: true, slug: true } } },
      orderBy: { name: 'asc' },
    }),
    db.catalogRole.findMany({
      select: {
        id: true,
        environment: true,
        function: true,
        description: true,
        policy: true,
        active: true,
        team: { select: { id: true, name: true, slug: true } },
      },
      orderBy: [{ team: { slug: 'asc' } }, { environment: 'asc' }, { function: 'asc' }],
    }),
    db.team.findMany({ select: { id: true, name: true, slug: true }, orderBy: { slug: 'asc' } }),
  ]);
  return { secrets, roles: roles.map((r) => ({ ...r, policy: r.policy as { actions: string[]; resources: string[] }[] })), teams };
}
