import 'server-only';
import { SECRET_NAME_PATTERN, secretName, type Environment } from '@/lib/access/model';
import { auditEntry, isUnchanged, type AuditActor, type RequestOrigin } from '@/lib/audit/model';
import type { PolicyStatement, UpdateRuleInput, UpsertRoleInput, UpsertSecretInput } from '@/lib/catalog/schemas';
import { AppError } from '@/lib/errors';
import { prisma } from '@/lib/server/db/db';
import type { Prisma, PrismaClient } from '@/lib/server/db/generated/client';
import { appendAuditEvent } from '@/lib/server/db/repositories/audit-append';

type Tx = Prisma.TransactionClient;

// Every edit is one transaction: the row and its audit event are written together or not at all.
const TX_OPTIONS = { maxWait: 10_000, timeout: 20_000 } as const;

const secretSelect = {
  id: true,
  name: true,
  environment: true,
  teamId: true,
  description: true,
  arn: true,
  kmsKeyArn: true,
  active: true,
} as const;

/** A catalog secret as the editor and the audit history see it. */
export interface CatalogSecretRow {
  id: string;
  name: string;
  environment: Environment;
  teamId: string;
  description: string;
  arn: string | null;
  kmsKeyArn: string | null;
  active: boolean;
}

const roleSelect = {
  id: true,
  teamId: true,
  environment: true,
  function: true,
  description: true,
  policy: true,
  active: true,
} as const;

/** A catalog role as the editor and the audit history see it. */
export interface CatalogRoleRow {
  id: string;
  teamId: string;
  environment: Environment;
  function: string;
  description: string;
  policy: PolicyStatement[];
  active: boolean;
}

const ruleSelect = {
  id: true,
  requestType: true,
  environment: true,
  approvalsRequired: true,
  approverGroup: true,
  maxDurationMinutes: true,
  pendingTtlMinutes: true,
  breakGlassAllowed: true,
} as const;

export type ApprovalRuleRow = Prisma.ApprovalRuleGetPayload<{ select: typeof ruleSelect }>;

/** What an edit did: the row afterwards, and whether anything changed (an unchanged save writes nothing). */
export interface CatalogWriteResult<T> {
  row: T;
  changed: boolean;
}

function toRoleRow(row: Prisma.CatalogRoleGetPayload<{ select: typeof roleSelect }>): CatalogRoleRow {
  return { ...row, policy: row.policy as unknown as PolicyStatement[] };
}

/** A unique-constraint violation (two editors saving the same name at once: the loser is told, not a 500). */
function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && 'code' in e && (e as { code: unknown }).code === 'P2002';
}

async function withConflictMessage<T>(work: () => Promise<T>, message: () => string): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('CONFLICT', message());
    throw e;
  }
}

async function teamOrThrow(tx: Tx, teamId: string) {
  const team = await tx.team.findUnique({ where: { id: teamId }, select: { id: true, slug: true } });
  if (!team) throw new AppError('UNPROCESSABLE', 'That team does not exist.');
  return team;
}

/**
 * Adds a secret to the catalog, or edits one (`input.id`), and records it in the audit history
 * ('catalog.secret.created' / 'catalog.secret.updated', before and after). The stored name is
 * <env>/<team slug>/<name>; a name already in the catalog is a CONFLICT and writes nothing.
 */
export async function upsertSecret(
  input: UpsertSecretInput,
  actor: AuditActor,
  origin: RequestOrigin | null,
  db: PrismaClient = prisma(),
): Promise<CatalogWriteResult<CatalogSecretRow>> {
  let name = '';
  const work = () =>
    db.$transaction(async (tx) => {
      const team = await teamOrThrow(tx, input.teamId);
      name = secretName(input.environment, team.slug, input.name);
      if (!SECRET_NAME_PATTERN.test(name)) throw new AppError('UNPROCESSABLE', `${name} does not follow the naming convention <env>/<team>/<name>.`);
      const before = input.id ? await tx.catalogSecret.findUnique({ where: { id: input.id }, select: secretSelect }) : null;
      if (input.id && !before) throw new AppError('NOT_FOUND', 'That secret is not in the catalog.');
      const taken = await tx.catalogSecret.findFirst({ where: { name, ...(before ? { id: { not: before.id } } : {}) }, select: { id: true } });
      if (taken) throw new AppError('CONFLICT', `A secret named ${name} is already in the catalog.`);

      const data = {
        name,
        environment: input.environment,
        teamId: team.id,
        description: input.description,
        arn: input.arn ?? null,
        kmsKeyArn: input.kmsKeyArn ?? null,
        active: input.active,
      };
      if (before && isUnchanged({ ...before, id: undefined }, data)) return { row: before, changed: false };
      const after = before
        ? await tx.catalogSecret.update({ where: { id: before.id }, data, select: secretSelect })
        : await tx.catalogSecret.create({ data, select: secretSelect });
      await appendAuditEvent(
        tx,
        // The name is what people search the history for; the id is in before/after.
        auditEntry(actor, before ? 'catalog.secret.updated' : 'catalog.secret.created', { type: 'secret', id: after.name }, { environment: after.environment, teamId: after.teamId, before, after }, new Date()),
        origin,
      );
      return { row: after, changed: true };
    }, TX_OPTIONS);
  return withConflictMessage(work, () => `A secret named ${name} is already in the catalog.`);
}

/** How the catalog page names a role: <team slug>/<env>/<function>. */
function roleLabel(teamSlug: string, environment: Environment, fn: string): string {
  return `${teamSlug}/${environment.toLowerCase()}/${fn}`;
}

/**
 * Adds a team role (team x environment x function) with its policy, or edits one (`input.id`), and
 * records it in the audit history ('catalog.role.created' / 'catalog.role.updated'). A second role
 * with the same team, environment and function is a CONFLICT and writes nothing.
 */
export async function upsertRole(
  input: UpsertRoleInput,
  actor: AuditActor,
  origin: RequestOrigin | null,
  db: PrismaClient = prisma(),
): Promise<CatalogWriteResult<CatalogRoleRow>> {
  let label = '';
  const work = () =>
    db.$transaction(async (tx) => {
      const team = await teamOrThrow(tx, input.teamId);
      label = roleLabel(team.slug, input.environment, input.function);
      const stored = input.id ? await tx.catalogRole.findUnique({ where: { id: input.id }, select: roleSelect }) : null;
      if (input.id && !stored) throw new AppError('NOT_FOUND', 'That role is not in the catalog.');
      const before = stored ? toRoleRow(stored) : null;
      const taken = await tx.catalogRole.findFirst({
        where: { teamId: team.id, environment: input.environment, function: input.function, ...(before ? { id: { not: before.id } } : {}) },
        select: { id: true },
      });
      if (taken) throw new AppError('CONFLICT', `The role ${label} is already in the catalog.`);

      const data = {
        teamId: team.id,
        environment: input.environment,
        function: input.function,
        description: input.description,
        policy: input.policy,
        active: input.active,
      };
      if (before && isUnchanged({ ...before, id: undefined }, data)) return { row: before, changed: false };
      const after = toRoleRow(
        before
          ? await tx.catalogRole.update({ where: { id: before.id }, data, select: roleSelect })
          : await tx.catalogRole.create({ data, select: roleSelect }),
      );
      await appendAuditEvent(
        tx,
        auditEntry(actor, before ? 'catalog.role.updated' : 'catalog.role.created', { type: 'role', id: label }, { environment: after.environment, teamId: after.teamId, before, after }, new Date()),
        origin,
      );
      return { row: after, changed: true };
    }, TX_OPTIONS);
  return withConflictMessage(work, () => `The role ${label} is already in the catalog.`);
}

/**
 * Sets the approval rule of (request type, environment) and records it ('rule.updated'; before is
 * null when the built-in default applied). Requests already made keep the rule they were made under
 * (it is frozen on each request), so an edit changes only later requests.
 */
export async function updateRule(
  input: UpdateRuleInput,
  actor: AuditActor,
  origin: RequestOrigin | null,
  db: PrismaClient = prisma(),
): Promise<CatalogWriteResult<ApprovalRuleRow>> {
  const { requestType, environment, ...values } = input;
  const where = { requestType_environment: { requestType, environment } };
  const work = () =>
    db.$transaction(async (tx) => {
      const before = await tx.approvalRule.findUnique({ where, select: ruleSelect });
      if (before && isUnchanged({ ...before, id: undefined }, { requestType, environment, ...values })) return { row: before, changed: false };
      const after = await tx.approvalRule.upsert({ where, create: { requestType, environment, ...values }, update: values, select: ruleSelect });
      await appendAuditEvent(
        tx,
        auditEntry(actor, 'rule.updated', { type: 'rule', id: `${requestType}/${environment}` }, { environment, before, after }, new Date()),
        origin,
      );
      return { row: after, changed: true };
    }, TX_OPTIONS);
  // Two first-time saves of a rule that had no row race on its unique key: the loser retries as an update.
  try {
    return await work();
  } catch (e) {
    if (isUniqueViolation(e)) return work();
    throw e;
  }
}

/** The catalog's secrets with every field the editor needs (the read-only listing omits the KMS key). */
export async function listEditableSecrets(db: PrismaClient = prisma()): Promise<CatalogSecretRow[]> {
  return db.catalogSecret.findMany({ select: secretSelect, orderBy: { name: 'asc' } });
}
