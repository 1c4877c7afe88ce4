import 'server-only';
import type { AppRole } from '@/lib/identity/actor';
import type { PolicyDocument } from '@/lib/grants/policy';
import type { BaselinePlan } from '@/lib/iam-audit/baseline';
import type { BaselinePlanRecord, BaselineTx, IamAuditStore, ScannedAccount, ScanRecord } from '@/lib/iam-audit/ports';
import type { AuditSettings, Finding } from '@/lib/iam-audit/rules';
import { prisma } from '@/lib/server/db/connection';
import type { Prisma, PrismaClient } from '@/lib/server/db/generated/client';
import { appendAuditEvent } from '@/lib/server/db/repositories/audit-append';

// Proposals take this transaction-scoped lock before superseding the open plans, so two proposals
// at the same instant cannot both leave a plan open.
const BASELINE_LOCK_KEY = 7_316_017;
// Scans kept as history; older ones are pruned when a new one is stored.
const KEEP_SCANS = 50;

const TX_OPTIONS = { maxWait: 10_000, timeout: 20_000 };

const scanSelect = {
  id: true,
  startedAt: true,
  finishedAt: true,
  startedById: true,
  startedByName: true,
  principalCount: true,
  policyCount: true,
  settings: true,
  findings: true,
  accounts: true,
} as const;

const planSelect = {
  id: true,
  status: true,
  groupName: true,
  policyName: true,
  document: true,
  plan: true,
  authorId: true,
  authorName: true,
  createdAt: true,
  decidedById: true,
  decidedByName: true,
  decidedAt: true,
  decisionComment: true,
  appliedById: true,
  appliedByName: true,
  appliedAt: true,
  attempts: true,
  lastError: true,
  version: true,
} as const;

type ScanRow = Prisma.IamAuditScanGetPayload<{ select: typeof scanSelect }>;
type PlanRow = Prisma.IamBaselinePlanGetPayload<{ select: typeof planSelect }>;

function toScan(row: ScanRow): ScanRecord {
  return {
    ...row,
    settings: row.settings as unknown as AuditSettings,
    findings: row.findings as unknown as Finding[],
    accounts: row.accounts as unknown as ScannedAccount[],
  };
}

function toPlan(row: PlanRow): BaselinePlanRecord {
  return { ...row, document: row.document as unknown as PolicyDocument, plan: row.plan as unknown as BaselinePlan };
}

const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;

function txApi(tx: Prisma.TransactionClient): BaselineTx {
  return {
    async supersedeOpenPlans(now) {
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(${BASELINE_LOCK_KEY})::text AS locked`;
      const open = await tx.iamBaselinePlan.findMany({ where: { status: { in: ['PROPOSED', 'APPROVED', 'APPLY_FAILED'] } }, select: { id: true } });
      if (!open.length) return [];
      const ids = open.map((p) => p.id);
      // A plan being applied right now keeps its lease: superseding it only stops later retries.
      await tx.iamBaselinePlan.updateMany({ where: { id: { in: ids } }, data: { status: 'SUPERSEDED', version: { increment: 1 }, updatedAt: now } });
      return ids;
    },
    async insertPlan(plan) {
      const row = await tx.iamBaselinePlan.create({
        data: { ...plan, document: json(plan.document), plan: json(plan.plan) },
        select: planSelect,
      });
      return toPlan(row);
    },
    async updatePlan(id, version, patch) {
      const { count } = await tx.iamBaselinePlan.updateMany({ where: { id, version }, data: { ...patch, version: { increment: 1 } } });
      return count === 1;
    },
    async currentRoles(userId) {
      const [user] = await tx.$queryRaw<
        { roles: AppRole[]; active: boolean }[]
      >`SELECT roles::text[] AS roles, active FROM users WHERE id = ${userId} FOR SHARE`;
      return user?.active ? user.roles : null;
    },
    async appendAudit(entry, origin) {
      await appendAuditEvent(tx, entry, origin);
    },
  };
}

/** The IAM audit's and the baseline's storage on the portal's database. */
export function createIamAuditStore(db: PrismaClient = prisma()): IamAuditStore {
  return {
    async latestScan() {
      const row = await db.iamAuditScan.findFirst({ orderBy: [{ finishedAt: 'desc' }, { id: 'desc' }], select: scanSelect });
      return row ? toScan(row) : null;
    },
    async saveScan(scan, audit, origin) {
      return db.$transaction(async (tx) => {
        const row = await tx.iamAuditScan.create({
          data: { ...scan, findingCount: scan.findings.length, settings: json(scan.settings), findings: json(scan.findings), accounts: json(scan.accounts) },
          select: scanSelect,
        });
        await appendAuditEvent(tx, audit(row.id), origin);
        const old = await tx.iamAuditScan.findMany({ orderBy: [{ finishedAt: 'desc' }, { id: 'desc' }], skip: KEEP_SCANS, select: { id: true } });
        if (old.length) await tx.iamAuditScan.deleteMany({ where: { id: { in: old.map((o) => o.id) } } });
        return toScan(row);
      }, TX_OPTIONS);
    },
    async listPortalPrincipals(accountId) {
      const users = await db.user.findMany({
        select: { id: true, name: true, roles: true, active: true, awsPrincipals: { where: { accountId }, select: { kind: true, name: true, arn: true } } },
        orderBy: { name: 'asc' },
      });
      return users.map((u) => ({ userId: u.id, name: u.name, roles: u.roles, active: u.active, principal: u.awsPrincipals[0] ?? null }));
    },
    async latestPlan() {
      const row = await db.iamBaselinePlan.findFirst({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: planSelect });
      return row ? toPlan(row) : null;
    },
    async findPlan(id) {
      const row = await db.iamBaselinePlan.findUnique({ where: { id }, select: planSelect });
      return row ? toPlan(row) : null;
    },
    async leasePlan(id, statuses, now, leaseMs) {
      // One conditional UPDATE: of several replicas (or double clicks), exactly one gets the lease.
      const { count } = await db.iamBaselinePlan.updateMany({
        where: { id, status: { in: [...statuses] }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
        data: { leaseUntil: new Date(now.getTime() + leaseMs), version: { increment: 1 } },
      });
      if (count !== 1) return null;
      const row = await db.iamBaselinePlan.findUnique({ where: { id }, select: planSelect });
      return row ? toPlan(row) : null;
    },
    transaction(work) {
      return db.$transaction((tx) => work(txApi(tx)), TX_OPTIONS);
    },
  };
}

/**
 * The ids of the findings of the newest scan finished at or before `at` (null: no scan by then):
 * what a user had in front of them on their last visit, for "new since your last visit".
 */
export async function findingIdsAsOf(at: Date, db: PrismaClient = prisma()): Promise<Set<string> | null> {
  const row = await db.iamAuditScan.findFirst({
    where: { finishedAt: { lte: at } },
    orderBy: [{ finishedAt: 'desc' }, { id: 'desc' }],
    select: { findings: true },
  });
  return row ? new Set((row.findings as unknown as Pick<Finding, 'id'>[]).map((f) => f.id)) : null;
}
