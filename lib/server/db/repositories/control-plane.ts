import 'server-only';
import type { DecisionStore, DecisionTx } from '@/lib/control-plane/ports';
import { prisma } from '@/lib/server/db/connection';
import type { Prisma, PrismaClient } from '@/lib/server/db/generated/client';
import { catalogTx } from '@/lib/server/db/repositories/catalog-write';
import { auditChange, changeSelect, findChange, lockProposals } from '@/lib/server/db/repositories/control-plane-changes';
import { identityTx } from '@/lib/server/db/repositories/identity-write';

const TX_OPTIONS = { maxWait: 10_000, timeout: 20_000 } as const;

/** A decision's reads and writes inside the approving transaction (lib/control-plane/service.ts decideChange). */
function decisionTx(tx: Prisma.TransactionClient): DecisionTx {
  return {
    lockProposals: () => lockProposals(tx),
    findChange: (id) => tx.controlPlaneChange.findUnique({ where: { id }, select: changeSelect }),
    findUserStanding: (id) => tx.user.findUnique({ where: { id }, select: { roles: true, active: true } }),
    async decide(id, patch) {
      const { count } = await tx.controlPlaneChange.updateMany({ where: { id, status: 'PROPOSED' }, data: patch });
      return count === 1;
    },
    auditChange: (action, actor, change, origin) => auditChange(tx, action, actor, change, origin),
    catalog: catalogTx(tx),
    identity: identityTx(tx),
  };
}

/** Where proposals are decided, on the portal's database: one transaction per decision. */
export function createDecisionStore(db: PrismaClient = prisma()): DecisionStore {
  return {
    findChange: (id) => findChange(id, db),
    transaction: (work) => db.$transaction((tx) => work(decisionTx(tx)), TX_OPTIONS),
  };
}
