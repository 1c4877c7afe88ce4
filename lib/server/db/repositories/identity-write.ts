import 'server-only';
import type { IdentityStore, IdentityTx } from '@/lib/identity/ports';
import { prisma } from '@/lib/server/db/connection';
import type { Prisma, PrismaClient } from '@/lib/server/db/generated/client';
import { appendAuditEvent } from '@/lib/server/db/repositories/audit-append';
import { proposeChange } from '@/lib/server/db/repositories/control-plane-changes';

const TX_OPTIONS = { maxWait: 10_000, timeout: 20_000 } as const;

const principalSelect = { accountId: true, kind: true, name: true, arn: true } as const;

/** Users' roles and AWS identities inside the caller's transaction (lib/identity/service.ts uses them; so does an approval). */
export function identityTx(tx: Prisma.TransactionClient): IdentityTx {
  return {
    async appendAudit(entry, origin) {
      await appendAuditEvent(tx, entry, origin);
    },
    propose: (change, author, origin) => proposeChange(tx, change, author, origin),
    findUser: (id) => tx.user.findUnique({ where: { id }, select: { id: true, name: true, email: true, roles: true } }),
    async setRoles(id, roles) {
      await tx.user.update({ where: { id }, data: { roles }, select: { id: true } });
    },
    findPrincipal: (userId, accountId) => tx.awsPrincipal.findUnique({ where: { userId_accountId: { userId, accountId } }, select: principalSelect }),
    async principalTaken(arn, userId) {
      return (await tx.awsPrincipal.findFirst({ where: { arn, userId: { not: userId } }, select: { userId: true } })) !== null;
    },
    async savePrincipal(userId, mapping) {
      await tx.awsPrincipal.upsert({ where: { userId_accountId: { userId, accountId: mapping.accountId } }, create: { userId, ...mapping }, update: mapping });
    },
    async removePrincipal(userId, accountId) {
      await tx.awsPrincipal.deleteMany({ where: { userId, accountId } });
    },
  };
}

/** The identity store on the portal's database: one transaction per change. */
export function createIdentityStore(db: PrismaClient = prisma()): IdentityStore {
  return { transaction: (work) => db.$transaction((tx) => work(identityTx(tx)), TX_OPTIONS) };
}
