import 'server-only';
import type { HistoryEntry } from '@/lib/deployments/history-csv';
import type { Environment } from '@/lib/environments';
import type { DiffRow, DiffSummary } from '@/lib/deployments/diff';
import type { ChangeSetType, DeploymentStatus, ResourceDrift, StackEvent } from '@/lib/deployments/model';
import type { CodeChange } from '@/lib/deployments/releases';
import type { ParameterChange } from '@/lib/deployments/parameters';
import type { FunctionTraffic } from '@/lib/deployments/traffic';
import type { ApprovalRecord, DeploymentPatch, DeploymentRecord, DeploymentStore, DeploymentTx, DriftCheckRecord } from '@/lib/deployments/ports';
import { AppError } from '@/lib/errors';
import { prisma } from '@/lib/server/db/connection';
import { Prisma, type PrismaClient } from '@/lib/server/db/generated/client';
import { appendAuditEvent } from '@/lib/server/db/repositories/audit-append';
import { insertNotification } from '@/lib/server/db/repositories/notifications';

const deploymentSelect = {
  id: true,
  environment: true,
  stackName: true,
  status: true,
  changeSetType: true,
  changeSetName: true,
  changeSetId: true,
  templateRevision: true,
  parameters: true,
  overrides: true,
  releaseId: true,
  codeChanges: true,
  parameterChanges: true,
  trafficShifts: true,
  changes: true,
  summary: true,
  totalResources: true,
  planError: true,
  sandboxFailResource: true,
  approvalsRequired: true,
  plannedById: true,
  plannedAt: true,
  stackVersion: true,
  executedById: true,
  executedAt: true,
  executionStartedAt: true,
  baselineEventId: true,
  lastEventId: true,
  activeStack: true,
  progressDone: true,
  stackStatus: true,
  failureReason: true,
  failedResource: true,
  rollbackStartedAt: true,
  finishedAt: true,
  outputs: true,
  nextPollAt: true,
  pollFailures: true,
  lastPollError: true,
  version: true,
} as const;

type DeploymentRow = Prisma.DeploymentGetPayload<{ select: typeof deploymentSelect }>;

function toRecord(row: DeploymentRow): DeploymentRecord {
  return {
    ...row,
    changeSetType: row.changeSetType as ChangeSetType,
    parameters: row.parameters as Record<string, string>,
    overrides: row.overrides as Record<string, string>,
    codeChanges: row.codeChanges as unknown as CodeChange[] | null,
    parameterChanges: row.parameterChanges as unknown as ParameterChange[] | null,
    trafficShifts: row.trafficShifts as unknown as FunctionTraffic[] | null,
    changes: row.changes as unknown as DiffRow[] | null,
    summary: row.summary as unknown as DiffSummary | null,
    outputs: row.outputs as Record<string, string> | null,
  };
}

/** JSON for a nullable Json column: null is SQL NULL. */
function json(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value === null || value === undefined ? Prisma.DbNull : (JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue);
}

function patchData(patch: DeploymentPatch): Prisma.DeploymentUpdateManyMutationInput {
  const { changes, summary, outputs, trafficShifts, ...rest } = patch;
  return {
    ...rest,
    ...(trafficShifts !== undefined ? { trafficShifts: json(trafficShifts) } : {}),
    ...(changes !== undefined ? { changes: json(changes) } : {}),
    ...(summary !== undefined ? { summary: json(summary) } : {}),
    ...(outputs !== undefined ? { outputs: json(outputs) } : {}),
  };
}

const driftSelect = {
  id: true,
  environment: true,
  stackName: true,
  detectionId: true,
  status: true,
  stackDriftStatus: true,
  driftedCount: true,
  resources: true,
  error: true,
  requestedById: true,
  createdAt: true,
  completedAt: true,
  nextPollAt: true,
  version: true,
} as const;

type DriftRow = Prisma.StackDriftCheckGetPayload<{ select: typeof driftSelect }>;

function toDriftRecord(row: DriftRow): DriftCheckRecord {
  return { ...row, status: row.status as DriftCheckRecord['status'], resources: row.resources as unknown as ResourceDrift[] | null };
}

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && 'code' in e && (e as { code: unknown }).code === 'P2002';
}

const OPEN: DeploymentStatus[] = ['PLANNING', 'PLANNED', 'APPROVAL_PENDING', 'APPROVED'];

function toEvent(row: {
  eventId: string;
  timestamp: Date;
  logicalId: string;
  physicalId: string | null;
  resourceType: string;
  status: string;
  reason: string | null;
}): StackEvent {
  return {
    eventId: row.eventId,
    timestamp: row.timestamp,
    logicalId: row.logicalId,
    physicalId: row.physicalId,
    resourceType: row.resourceType,
    status: row.status,
    reason: row.reason,
  };
}

/** The deployments' storage on the portal's database. */
export function createDeploymentStore(db: PrismaClient = prisma()): DeploymentStore {
  return {
    async find(id) {
      const row = await db.deployment.findUnique({ where: { id }, select: deploymentSelect });
      return row ? toRecord(row) : null;
    },
    async lease(id, statuses, now, leaseMs) {
      // One conditional UPDATE: of several replicas, exactly one takes the row.
      const { count } = await db.deployment.updateMany({
        where: { id, status: { in: [...statuses] }, nextPollAt: { lte: now }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
        data: { leaseUntil: new Date(now.getTime() + leaseMs) },
      });
      if (count !== 1) return null;
      const row = await db.deployment.findUnique({ where: { id }, select: deploymentSelect });
      return row ? toRecord(row) : null;
    },
    async listDue(now, limit) {
      const [deployments, driftChecks] = await Promise.all([
        db.deployment.findMany({
          where: { status: { in: ['PLANNING', 'EXECUTING'] }, nextPollAt: { lte: now } },
          select: { id: true },
          orderBy: { nextPollAt: 'asc' },
          take: limit,
        }),
        db.stackDriftCheck.findMany({
          where: { status: 'DETECTING', nextPollAt: { lte: now } },
          select: { id: true },
          orderBy: { nextPollAt: 'asc' },
          take: limit,
        }),
      ]);
      return { deployments: deployments.map((r) => r.id), driftChecks: driftChecks.map((r) => r.id) };
    },
    async listOpenPlannedBefore(before, limit) {
      const rows = await db.deployment.findMany({
        where: { status: { in: OPEN }, plannedAt: { lte: before } },
        select: { id: true },
        orderBy: { plannedAt: 'asc' },
        take: limit,
      });
      return rows.map((r) => r.id);
    },
    async listOpenForStack(stackName, exceptId) {
      const rows = await db.deployment.findMany({ where: { stackName, status: { in: OPEN }, id: { not: exceptId } }, select: { id: true } });
      return rows.map((r) => r.id);
    },
    async claimExecution(id, version, from, patch) {
      try {
        const { count } = await db.deployment.updateMany({
          where: { id, version, status: { in: [...from] } },
          data: { ...patchData(patch), version: { increment: 1 } },
        });
        return count === 1 ? 'claimed' : 'moved';
      } catch (e) {
        // active_stack is unique: another deployment of this stack holds it.
        if (isUniqueViolation(e)) return 'busy';
        throw e;
      }
    },
    async findExecuting(stackName) {
      return db.deployment.findUnique({ where: { activeStack: stackName }, select: { id: true } });
    },
    async listApprovals(id) {
      const rows = await db.deploymentApproval.findMany({
        where: { deploymentId: id },
        orderBy: { createdAt: 'asc' },
        select: { id: true, deploymentId: true, approverId: true, kind: true, comment: true, createdAt: true },
      });
      return rows;
    },
    async listEvents(id) {
      const rows = await db.deploymentEvent.findMany({ where: { deploymentId: id }, orderBy: [{ timestamp: 'asc' }, { eventId: 'asc' }] });
      return rows.map(toEvent);
    },
    async findDriftCheck(id) {
      const row = await db.stackDriftCheck.findUnique({ where: { id }, select: driftSelect });
      return row ? toDriftRecord(row) : null;
    },
    async leaseDriftCheck(id, now, leaseMs) {
      const { count } = await db.stackDriftCheck.updateMany({
        where: { id, status: 'DETECTING', nextPollAt: { lte: now }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
        data: { leaseUntil: new Date(now.getTime() + leaseMs) },
      });
      if (count !== 1) return null;
      const row = await db.stackDriftCheck.findUnique({ where: { id }, select: driftSelect });
      return row ? toDriftRecord(row) : null;
    },
    async findDetectingDriftCheck(environment) {
      const row = await db.stackDriftCheck.findFirst({ where: { environment, status: 'DETECTING' }, select: driftSelect, orderBy: { createdAt: 'desc' } });
      return row ? toDriftRecord(row) : null;
    },
    transaction(work) {
      return db.$transaction((tx) => work(txAdapter(tx)), { maxWait: 10_000, timeout: 20_000 });
    },
  };
}

function txAdapter(tx: Prisma.TransactionClient): DeploymentTx {
  return {
    async insert(d) {
      await tx.deployment.create({
        data: {
          ...d,
          parameters: d.parameters,
          overrides: d.overrides,
          codeChanges: d.codeChanges ? (d.codeChanges as unknown as Prisma.InputJsonValue) : Prisma.DbNull,
          parameterChanges: json(d.parameterChanges),
        },
      });
    },
    async update(id, version, patch) {
      const { count } = await tx.deployment.updateMany({ where: { id, version }, data: { ...patchData(patch), version: { increment: 1 } } });
      return count === 1;
    },
    async markStarted(id, at) {
      const { count } = await tx.deployment.updateMany({
        where: { id, status: 'EXECUTING', executionStartedAt: null },
        data: { executionStartedAt: at, nextPollAt: at, version: { increment: 1 } },
      });
      return count === 1;
    },
    async releaseClaim(id, patch) {
      const { count } = await tx.deployment.updateMany({
        where: { id, status: 'EXECUTING', executionStartedAt: null },
        data: { ...patchData(patch), version: { increment: 1 } },
      });
      return count === 1;
    },
    async load(id) {
      const row = await tx.deployment.findUnique({ where: { id }, select: deploymentSelect });
      if (!row) return null;
      const approvals = await tx.deploymentApproval.findMany({
        where: { deploymentId: id },
        orderBy: { createdAt: 'asc' },
        select: { id: true, deploymentId: true, approverId: true, kind: true, comment: true, createdAt: true },
      });
      return { deployment: toRecord(row), approvals };
    },
    async insertApproval(a) {
      try {
        await tx.deploymentApproval.create({ data: a });
      } catch (e) {
        if (isUniqueViolation(e)) throw new AppError('CONFLICT', 'You already decided on this plan.');
        throw e;
      }
    },
    async insertEvents(id, events) {
      if (events.length === 0) return 0;
      const { count } = await tx.deploymentEvent.createMany({
        data: events.map((e) => ({
          deploymentId: id,
          eventId: e.eventId,
          timestamp: e.timestamp,
          logicalId: e.logicalId,
          physicalId: e.physicalId,
          resourceType: e.resourceType,
          status: e.status,
          reason: e.reason?.slice(0, 4000) ?? null,
        })),
        skipDuplicates: true,
      });
      return count;
    },
    async enqueueNotification(notification) {
      await insertNotification(tx, notification);
    },
    async userNames(ids) {
      const rows = await tx.user.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, name: true } });
      return new Map(rows.map((r) => [r.id, r.name]));
    },
    async insertDriftCheck(c) {
      await tx.stackDriftCheck.create({ data: c });
    },
    async updateDriftCheck(id, version, patch) {
      const { resources, ...rest } = patch;
      const { count } = await tx.stackDriftCheck.updateMany({
        where: { id, version },
        data: { ...rest, ...(resources !== undefined ? { resources: json(resources) } : {}), version: { increment: 1 } },
      });
      return count === 1;
    },
    async appendAudit(entry, origin) {
      await appendAuditEvent(tx, entry, origin);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Reads for the pages and the API

const people = { select: { id: true, name: true } } as const;

export interface DeploymentView extends DeploymentRecord {
  plannedBy: { id: string; name: string };
  executedBy: { id: string; name: string } | null;
  approvals: (ApprovalRecord & { approverName: string })[];
  createdAt: Date;
}

/** A deployment with the names of who planned, decided and executed it. */
export async function findDeploymentView(id: string, db: PrismaClient = prisma()): Promise<DeploymentView | null> {
  const row = await db.deployment.findUnique({
    where: { id },
    select: {
      ...deploymentSelect,
      createdAt: true,
      plannedBy: people,
      executedBy: people,
      approvals: {
        orderBy: { createdAt: 'asc' },
        select: { id: true, deploymentId: true, approverId: true, kind: true, comment: true, createdAt: true, approver: people },
      },
    },
  });
  if (!row) return null;
  const { plannedBy, executedBy, approvals, createdAt, ...rest } = row;
  return { ...toRecord(rest), plannedBy, executedBy, createdAt, approvals: approvals.map(({ approver, ...a }) => ({ ...a, approverName: approver.name })) };
}

/** The deployment's stored events, newest first. */
export async function listDeploymentEvents(id: string, limit = 500, db: PrismaClient = prisma()): Promise<StackEvent[]> {
  const rows = await db.deploymentEvent.findMany({ where: { deploymentId: id }, orderBy: [{ timestamp: 'desc' }, { eventId: 'desc' }], take: limit });
  return rows.map(toEvent);
}

export interface HistoryFilter {
  environment?: Environment;
  status?: DeploymentStatus;
  limit: number;
}

/** A history entry with the database's own environment and status types. */
export interface HistoryRow extends HistoryEntry {
  environment: Environment;
  status: DeploymentStatus;
}

/** Every deployment (plans included), newest first. */
export async function listDeploymentHistory(filter: HistoryFilter, db: PrismaClient = prisma()): Promise<HistoryRow[]> {
  const rows = await db.deployment.findMany({
    where: { ...(filter.environment ? { environment: filter.environment } : {}), ...(filter.status ? { status: filter.status } : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: filter.limit,
    select: {
      id: true,
      environment: true,
      stackName: true,
      status: true,
      changeSetType: true,
      templateRevision: true,
      parameters: true,
      overrides: true,
      releaseId: true,
      summary: true,
      plannedAt: true,
      executedAt: true,
      finishedAt: true,
      stackStatus: true,
      failureReason: true,
      failedResource: true,
      planError: true,
      plannedBy: people,
      executedBy: people,
      approvals: { orderBy: { createdAt: 'asc' }, select: { kind: true, createdAt: true, comment: true, approver: people } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    environment: r.environment,
    stackName: r.stackName,
    status: r.status,
    changeSetType: r.changeSetType,
    templateRevision: r.templateRevision,
    parameters: r.parameters as Record<string, string>,
    overrides: r.overrides as Record<string, string>,
    releaseId: r.releaseId,
    summary: r.summary as unknown as DiffSummary | null,
    plannedBy: r.plannedBy.name,
    plannedAt: r.plannedAt,
    approvals: r.approvals.map((a) => ({ name: a.approver.name, kind: a.kind, at: a.createdAt, comment: a.comment })),
    executedBy: r.executedBy?.name ?? null,
    executedAt: r.executedAt,
    finishedAt: r.finishedAt,
    stackStatus: r.stackStatus,
    failureReason: r.failureReason,
    failedResource: r.failedResource,
    planError: r.planError,
  }));
}

export interface EnvironmentDeployments {
  lastExecuted: {
    id: string;
    status: DeploymentStatus;
    executedAt: Date | null;
    finishedAt: Date | null;
    executedBy: string | null;
    templateRevision: string;
  } | null;
  open: { id: string; status: DeploymentStatus; plannedAt: Date; plannedBy: string; summary: DiffSummary | null }[];
  lastDrift: DriftCheckRecord | null;
}

/** Per environment: the last executed deployment, the open plans and the last drift check. */
export async function listEnvironmentDeployments(environment: Environment, db: PrismaClient = prisma()): Promise<EnvironmentDeployments> {
  const [last, open, drift] = await Promise.all([
    db.deployment.findFirst({
      where: { environment, status: { in: ['EXECUTING', 'SUCCEEDED', 'FAILED', 'ROLLED_BACK'] } },
      orderBy: { executedAt: 'desc' },
      select: { id: true, status: true, executedAt: true, finishedAt: true, templateRevision: true, executedBy: people },
    }),
    db.deployment.findMany({
      where: { environment, status: { in: OPEN } },
      orderBy: { plannedAt: 'desc' },
      take: 10,
      select: { id: true, status: true, plannedAt: true, summary: true, plannedBy: people },
    }),
    db.stackDriftCheck.findFirst({ where: { environment }, orderBy: { createdAt: 'desc' }, select: driftSelect }),
  ]);
  return {
    lastExecuted: last
      ? {
          id: last.id,
          status: last.status,
          executedAt: last.executedAt,
          finishedAt: last.finishedAt,
          executedBy: last.executedBy?.name ?? null,
          templateRevision: last.templateRevision,
        }
      : null,
    open: open.map((o) => ({
      id: o.id,
      status: o.status,
      plannedAt: o.plannedAt,
      plannedBy: o.plannedBy.name,
      summary: o.summary as unknown as DiffSummary | null,
    })),
    lastDrift: drift ? toDriftRecord(drift) : null,
  };
}
