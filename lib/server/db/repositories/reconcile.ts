import 'server-only';
import type { AuditEntry, RequestOrigin } from '@/lib/audit/model';
import type { GrantStatus } from '@/lib/grants/model';
import type { PolicyDocument } from '@/lib/grants/policy';
import type { ReconcileGrant } from '@/lib/grants/reconcile';
import { prisma } from '@/lib/server/db/db';
import type { PrismaClient } from '@/lib/server/db/generated/client';
import { appendAuditEvent } from '@/lib/server/db/repositories/audit-append';

/** The reconciler's reads and its audit writes. */
export interface ReconcileStore {
  /** Every ACTIVE grant, and the grants (any status) that own one of `policyNames`. */
  listGrants(policyNames: readonly string[]): Promise<ReconcileGrant[]>;
  /** A grant's status now (null when there is no such grant): a restore re-checks it just before acting. */
  grantStatus(id: string): Promise<GrantStatus | null>;
  /** Appends one audit event in its own transaction. */
  appendAudit(entry: AuditEntry, origin: RequestOrigin | null): Promise<void>;
}

/** The reconciler's storage on the portal's database. */
export function createReconcileStore(db: PrismaClient = prisma()): ReconcileStore {
  return {
    async listGrants(policyNames) {
      const rows = await db.grant.findMany({
        where: { OR: [{ status: 'ACTIVE' }, { policyName: { in: [...policyNames] } }] },
        select: { id: true, status: true, policyName: true, policyArn: true, policy: true, principalKind: true, principalName: true, principalArn: true },
        orderBy: { policyName: 'asc' },
      });
      return rows.map(({ principalKind, principalName, principalArn, ...r }) => ({
        ...r,
        policy: r.policy as unknown as PolicyDocument,
        principal: { kind: principalKind, name: principalName, arn: principalArn },
      }));
    },
    async grantStatus(id) {
      return (await db.grant.findUnique({ where: { id }, select: { status: true } }))?.status ?? null;
    },
    async appendAudit(entry, origin) {
      await db.$transaction((tx) => appendAuditEvent(tx, entry, origin), { maxWait: 10_000, timeout: 20_000 });
    },
  };
}
