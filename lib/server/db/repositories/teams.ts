import 'server-only';
import { prisma } from '@/lib/server/db/connection';
import type { PrismaClient } from '@/lib/server/db/generated/client';

export interface TeamRow {
  id: string;
  slug: string;
  name: string;
  description: string;
  memberCount: number;
}

/** Every team with its member count. */
export async function listTeams(db: PrismaClient = prisma()): Promise<TeamRow[]> {
  const rows = await db.team.findMany({
    select: { id: true, slug: true, name: true, description: true, _count: { select: { members: true } } },
    orderBy: { slug: 'asc' },
  });
  return rows.map(({ _count, ...t }) => ({ ...t, memberCount: _count.members }));
}
