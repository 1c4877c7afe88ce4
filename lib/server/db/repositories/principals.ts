import 'server-only';
import { prisma } from '@/lib/server/db/connection';
import type { PrismaClient } from '@/lib/server/db/generated/client';

/** What the sandbox account must contain for the portal's data: principals and catalog secrets. */
export async function listSandboxSeed(db: PrismaClient = prisma()) {
  const [principals, catalogSecrets] = await Promise.all([
    db.awsPrincipal.findMany({ select: { accountId: true, kind: true, name: true, arn: true } }),
    db.catalogSecret.findMany({ select: { name: true, arn: true, environment: true, team: { select: { slug: true } } } }),
  ]);
  return { principals, catalogSecrets: catalogSecrets.map((s) => ({ name: s.name, arn: s.arn, environment: s.environment, teamSlug: s.team.slug })) };
}

/** Every user's AWS identities, for the admin page: user id -> account id -> principal ARN. */
export async function listPrincipals(db: PrismaClient = prisma()): Promise<Map<string, Map<string, string>>> {
  const rows = await db.awsPrincipal.findMany({ select: { userId: true, accountId: true, arn: true }, orderBy: [{ userId: 'asc' }, { accountId: 'asc' }] });
  const byUser = new Map<string, Map<string, string>>();
  for (const r of rows) {
    const accounts = byUser.get(r.userId) ?? new Map<string, string>();
    accounts.set(r.accountId, r.arn);
    byUser.set(r.userId, accounts);
  }
  return byUser;
}
