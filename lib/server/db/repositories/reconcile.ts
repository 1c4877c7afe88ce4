import 'server-only';
import type { PolicyDocument } from '@/lib/grants/policy';
import { prisma } from '@/lib/server/db/connection';
import type { PrismaClient } from '@/lib/server/db/generated/client';
import { createAuditLog } from '@/lib/server/db/repositories/audit-log';
import type { ReconcileStore } from '@/lib/grants/ports';

/** The reconciler's storage on the portal's database. */
export function createReconcileStore(db: PrismaClient = prisma()): ReconcileStore {
  return {
    async listGrants(policyNames) {
      const rows = await db.grant.findMany({
        where: { OR: [{ status: 'ACTIVE' }, { policyName: { in: [...policyNames] } }] },
        select: {
          id: true,
          status: true,
          policyName: true,
          policyArn: true,
          policy: true,
          principalKind: true,
          principalName: true,
          principalArn: true,
          request: { select: { environment: true } },
        },
        orderBy: { policyName: 'asc' },
      });
      return rows.map(({ principalKind, principalName, principalArn, request, ...r }) => ({
        ...r,
        environment: request.environment,
        policy: r.policy as unknown as PolicyDocument,
        principal: { kind: principalKind, name: principalName, arn: principalArn },
      }));
    },
    async grantStatus(id) {
      return (await db.grant.findUnique({ where: { id }, select: { status: true } }))?.status ?? null;
    },
    // The fixes are made in IAM, not in the database: each is recorded in its own transaction.
    ...createAuditLog(db),
  };
}
