import 'server-only';
import { SECRET_NAME_PATTERN, secretName, type Environment } from '@/lib/access/model';
import { auditEntry, isUnchanged, type AuditActor, type RequestOrigin } from '@/lib/audit/model';
import { updateRuleSchema, upsertRoleSchema, upsertSecretSchema, type PolicyStatement, type UpdateRuleInput, type UpsertRoleInput, type UpsertSecretInput } from '@/lib/catalog/schemas';
import { assertKmsKeyArnMatches, assertRolePolicyMatches, assertSecretArnMatches, type ExpectedAccount } from '@/lib/control-plane/arn-rules';
import { assertRuleWithinFloors, type RuleFloors } from '@/lib/control-plane/floors';
import { roleTargetKey, ruleTargetKey, secretTargetKey, type ControlPlaneChange } from '@/lib/control-plane/model';
import { AppError } from '@/lib/errors';
import { prisma } from '@/lib/server/db/connection';
import type { Prisma, PrismaClient } from '@/lib/server/db/generated/client';
import { appendAuditEvent } from '@/lib/server/db/repositories/audit-append';
import { proposeChange } from '@/lib/server/db/repositories/control-plane-changes';

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

/**
 * What an edit did: the row afterwards (before, while a proposal waits; null for a proposed new
 * entry), whether it changed now (an unchanged save writes nothing), and the proposal when the edit
 * needs a second approver (docs/decisions/032).
 */
export interface CatalogWriteResult<T> {
  row: T | null;
  changed: boolean;
  proposal: ControlPlaneChange | null;
}

/** What the control-plane rules need from configuration: the floors and each environment's account. */
export interface ControlPlaneContext {
  floors: RuleFloors;
  accountFor: (environment: Environment) => Promise<ExpectedAccount>;
}

/** The author of a proposal: a signed-in user, never the system. */
type Author = AuditActor & { id: string };

function authorOf(actor: AuditActor): Author {
  if (!actor.id) throw new AppError('FORBIDDEN', 'Only a signed-in user can change the control plane.');
  return { id: actor.id, name: actor.name };
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

// ---- secrets -------------------------------------------------------------------------------

type SecretData = Omit<CatalogSecretRow, 'id'>;

/** Validates a secret edit against the catalog (team, name convention, name taken) inside the transaction. */
async function prepareSecret(tx: Tx, input: UpsertSecretInput): Promise<{ before: CatalogSecretRow | null; data: SecretData }> {
  const team = await teamOrThrow(tx, input.teamId);
  const name = secretName(input.environment, team.slug, input.name);
  if (!SECRET_NAME_PATTERN.test(name)) throw new AppError('UNPROCESSABLE', `${name} does not follow the naming convention <env>/<team>/<name>.`);
  const before = input.id ? await tx.catalogSecret.findUnique({ where: { id: input.id }, select: secretSelect }) : null;
  if (input.id && !before) throw new AppError('NOT_FOUND', 'That secret is not in the catalog.');
  const taken = await tx.catalogSecret.findFirst({ where: { name, ...(before ? { id: { not: before.id } } : {}) }, select: { id: true } });
  if (taken) throw new AppError('CONFLICT', `A secret named ${name} is already in the catalog.`);
  const data: SecretData = {
    name,
    environment: input.environment,
    teamId: team.id,
    description: input.description,
    arn: input.arn ?? null,
    kmsKeyArn: input.kmsKeyArn ?? null,
    active: input.active,
  };
  return { before, data };
}

/** A new entry, or one whose name, environment, team, ARN or KMS key changes, needs a second approver; description and active do not. */
function secretNeedsSecondPerson(before: CatalogSecretRow | null, data: SecretData): boolean {
  return !before || (['name', 'environment', 'teamId', 'arn', 'kmsKeyArn'] as const).some((k) => before[k] !== data[k]);
}

function assertSecretArns(data: SecretData, account: ExpectedAccount): void {
  if (data.arn) assertSecretArnMatches(data.arn, data.name, account);
  if (data.kmsKeyArn) assertKmsKeyArnMatches(data.kmsKeyArn, account);
}

/**
 * The fields a direct edit (no second person) may write: only these, so that an edit racing an
 * approval never writes back the ARN, environment or policy it read before the approval committed.
 */
const descriptive = (data: { description: string; active: boolean }) => ({ description: data.description, active: data.active });

async function writeSecret(tx: Tx, before: CatalogSecretRow | null, data: SecretData, actor: AuditActor, origin: RequestOrigin | null, direct = false): Promise<CatalogSecretRow> {
  const after = before
    ? await tx.catalogSecret.update({ where: { id: before.id }, data: direct ? descriptive(data) : data, select: secretSelect })
    : await tx.catalogSecret.create({ data, select: secretSelect });
  await appendAuditEvent(
    tx,
    // The name is what people search the history for; the id is in before/after.
    auditEntry(actor, before ? 'catalog.secret.updated' : 'catalog.secret.created', { type: 'secret', id: after.name }, { environment: after.environment, teamId: after.teamId, before, after }, new Date()),
    origin,
  );
  return after;
}

/**
 * Adds a secret to the catalog, or edits one (`input.id`). The stored name is <env>/<team slug>/<name>;
 * a name already in the catalog is a CONFLICT and writes nothing; an ARN that is not this entry's
 * secret in its environment's account is UNPROCESSABLE. A new entry or a change of its name,
 * environment, team, ARN or KMS key is only proposed ('control_plane.change.proposed'); a
 * description or active change applies at once ('catalog.secret.updated', before and after).
 */
export async function upsertSecret(
  input: UpsertSecretInput,
  actor: AuditActor,
  origin: RequestOrigin | null,
  ctx: ControlPlaneContext,
  db: PrismaClient = prisma(),
): Promise<CatalogWriteResult<CatalogSecretRow>> {
  const account = await ctx.accountFor(input.environment);
  let name = '';
  const work = () =>
    db.$transaction(async (tx) => {
      const { before, data } = await prepareSecret(tx, input);
      name = data.name;
      if (before && isUnchanged({ ...before, id: undefined }, data)) return { row: before, changed: false, proposal: null };
      if (secretNeedsSecondPerson(before, data)) {
        assertSecretArns(data, account);
        const proposal = await proposeChange(
          tx,
          { kind: 'CATALOG_SECRET', targetKey: secretTargetKey(before?.id ?? null, data.name), targetLabel: data.name, environment: data.environment, before, payload: input },
          authorOf(actor),
          origin,
        );
        return { row: before, changed: false, proposal };
      }
      return { row: await writeSecret(tx, before, data, actor, origin, true), changed: true, proposal: null };
    }, TX_OPTIONS);
  return withConflictMessage(work, () => `A secret named ${name} is already in the catalog.`);
}

// ---- roles ---------------------------------------------------------------------------------

/** How the catalog page names a role: <team slug>/<env>/<function>. */
function roleLabel(teamSlug: string, environment: Environment, fn: string): string {
  return `${teamSlug}/${environment.toLowerCase()}/${fn}`;
}

type RoleData = Omit<CatalogRoleRow, 'id'>;

async function prepareRole(tx: Tx, input: UpsertRoleInput): Promise<{ before: CatalogRoleRow | null; data: RoleData; label: string; teamSlug: string }> {
  const team = await teamOrThrow(tx, input.teamId);
  const label = roleLabel(team.slug, input.environment, input.function);
  const stored = input.id ? await tx.catalogRole.findUnique({ where: { id: input.id }, select: roleSelect }) : null;
  if (input.id && !stored) throw new AppError('NOT_FOUND', 'That role is not in the catalog.');
  const before = stored ? toRoleRow(stored) : null;
  const taken = await tx.catalogRole.findFirst({
    where: { teamId: team.id, environment: input.environment, function: input.function, ...(before ? { id: { not: before.id } } : {}) },
    select: { id: true },
  });
  if (taken) throw new AppError('CONFLICT', `The role ${label} is already in the catalog.`);
  const data: RoleData = { teamId: team.id, environment: input.environment, function: input.function, description: input.description, policy: input.policy, active: input.active };
  return { before, data, label, teamSlug: team.slug };
}

/** A new role, or one whose team, environment, function (its ARN) or policy changes, needs a second approver. */
function roleNeedsSecondPerson(before: CatalogRoleRow | null, data: RoleData): boolean {
  return !before || before.teamId !== data.teamId || before.environment !== data.environment || before.function !== data.function || !isUnchanged(before.policy, data.policy);
}

async function writeRole(tx: Tx, before: CatalogRoleRow | null, data: RoleData, label: string, actor: AuditActor, origin: RequestOrigin | null, direct = false): Promise<CatalogRoleRow> {
  const after = toRoleRow(
    before
      ? await tx.catalogRole.update({ where: { id: before.id }, data: direct ? descriptive(data) : data, select: roleSelect })
      : await tx.catalogRole.create({ data, select: roleSelect }),
  );
  await appendAuditEvent(
    tx,
    auditEntry(actor, before ? 'catalog.role.updated' : 'catalog.role.created', { type: 'role', id: label }, { environment: after.environment, teamId: after.teamId, before, after }, new Date()),
    origin,
  );
  return after;
}

/**
 * Adds a team role (team x environment x function) with its policy, or edits one (`input.id`). A
 * second role with the same team, environment and function is a CONFLICT; a policy resource outside
 * the team's resources in that environment is UNPROCESSABLE. A new role or a change of its team,
 * environment, function or policy is only proposed; description and active apply at once
 * ('catalog.role.updated').
 */
export async function upsertRole(
  input: UpsertRoleInput,
  actor: AuditActor,
  origin: RequestOrigin | null,
  ctx: ControlPlaneContext,
  db: PrismaClient = prisma(),
): Promise<CatalogWriteResult<CatalogRoleRow>> {
  const account = await ctx.accountFor(input.environment);
  let label = '';
  const work = () =>
    db.$transaction(async (tx) => {
      const prepared = await prepareRole(tx, input);
      const { before, data } = prepared;
      label = prepared.label;
      if (before && isUnchanged({ ...before, id: undefined }, data)) return { row: before, changed: false, proposal: null };
      if (roleNeedsSecondPerson(before, data)) {
        assertRolePolicyMatches(data.policy, prepared.teamSlug, data.environment, account);
        const proposal = await proposeChange(
          tx,
          { kind: 'CATALOG_ROLE', targetKey: roleTargetKey(before?.id ?? null, label), targetLabel: label, environment: data.environment, before, payload: input },
          authorOf(actor),
          origin,
        );
        return { row: before, changed: false, proposal };
      }
      return { row: await writeRole(tx, before, data, label, actor, origin, true), changed: true, proposal: null };
    }, TX_OPTIONS);
  return withConflictMessage(work, () => `The role ${label} is already in the catalog.`);
}

// ---- rules ---------------------------------------------------------------------------------

async function writeRule(tx: Tx, input: UpdateRuleInput, before: ApprovalRuleRow | null, actor: AuditActor, origin: RequestOrigin | null): Promise<ApprovalRuleRow> {
  const { requestType, environment, ...values } = input;
  const after = await tx.approvalRule.upsert({
    where: { requestType_environment: { requestType, environment } },
    create: { requestType, environment, ...values },
    update: values,
    select: ruleSelect,
  });
  await appendAuditEvent(
    tx,
    auditEntry(actor, 'rule.updated', { type: 'rule', id: `${requestType}/${environment}` }, { environment, before, after }, new Date()),
    origin,
  );
  return after;
}

/**
 * Proposes the approval rule of (request type, environment): every rule change waits for a second
 * approver, and one that crosses the configured floors (GATEHOUSE_RULE_FLOORS) is UNPROCESSABLE and
 * writes nothing. Once applied it is recorded as 'rule.updated' (before is null when the built-in
 * default applied); requests already made keep the rule they were made under.
 */
export async function updateRule(
  input: UpdateRuleInput,
  actor: AuditActor,
  origin: RequestOrigin | null,
  ctx: ControlPlaneContext,
  db: PrismaClient = prisma(),
): Promise<CatalogWriteResult<ApprovalRuleRow>> {
  const { requestType, environment, ...values } = input;
  assertRuleWithinFloors(requestType, environment, values, ctx.floors);
  return db.$transaction(async (tx) => {
    const before = await tx.approvalRule.findUnique({ where: { requestType_environment: { requestType, environment } }, select: ruleSelect });
    if (before && isUnchanged({ ...before, id: undefined }, { requestType, environment, ...values })) return { row: before, changed: false, proposal: null };
    const proposal = await proposeChange(
      tx,
      { kind: 'APPROVAL_RULE', targetKey: ruleTargetKey(requestType, environment), targetLabel: `${requestType}/${environment}`, environment, before, payload: input },
      authorOf(actor),
      origin,
    );
    return { row: before, changed: false, proposal };
  }, TX_OPTIONS);
}

// ---- applying an approved change -----------------------------------------------------------

/** Applies approved catalog and rule changes inside the approving transaction (lib/server/db/repositories/control-plane.ts). */
export interface CatalogChangeApplier {
  /** The target as it is now, in the shape the proposal recorded as `before` (a different one means the proposal is stale). */
  current(tx: Tx, change: ControlPlaneChange): Promise<unknown>;
  /** Re-validates the proposal against the catalog, the floors and the account, then writes it and its audit event. */
  apply(tx: Tx, change: ControlPlaneChange, approver: AuditActor, origin: RequestOrigin | null, ctx: ControlPlaneContext, account: ExpectedAccount | null): Promise<void>;
}

export const catalogChangeAppliers: Record<'CATALOG_SECRET' | 'CATALOG_ROLE' | 'APPROVAL_RULE', CatalogChangeApplier> = {
  CATALOG_SECRET: {
    async current(tx, change) {
      const input = upsertSecretSchema.parse(change.payload);
      if (!input.id) return tx.catalogSecret.findFirst({ where: { name: change.targetLabel }, select: secretSelect });
      return tx.catalogSecret.findUnique({ where: { id: input.id }, select: secretSelect });
    },
    async apply(tx, change, approver, origin, _ctx, account) {
      const { before, data } = await prepareSecret(tx, upsertSecretSchema.parse(change.payload));
      if (account) assertSecretArns(data, account);
      await writeSecret(tx, before, data, approver, origin);
    },
  },
  CATALOG_ROLE: {
    async current(tx, change) {
      const input = upsertRoleSchema.parse(change.payload);
      if (!input.id) {
        const row = await tx.catalogRole.findFirst({ where: { teamId: input.teamId, environment: input.environment, function: input.function }, select: roleSelect });
        return row ? toRoleRow(row) : null;
      }
      const row = await tx.catalogRole.findUnique({ where: { id: input.id }, select: roleSelect });
      return row ? toRoleRow(row) : null;
    },
    async apply(tx, change, approver, origin, _ctx, account) {
      const { before, data, label, teamSlug } = await prepareRole(tx, upsertRoleSchema.parse(change.payload));
      if (account) assertRolePolicyMatches(data.policy, teamSlug, data.environment, account);
      await writeRole(tx, before, data, label, approver, origin);
    },
  },
  APPROVAL_RULE: {
    async current(tx, change) {
      const { requestType, environment } = updateRuleSchema.parse(change.payload);
      return tx.approvalRule.findUnique({ where: { requestType_environment: { requestType, environment } }, select: ruleSelect });
    },
    async apply(tx, change, approver, origin, ctx) {
      const input = updateRuleSchema.parse(change.payload);
      // The floors are re-checked: the configuration may have been tightened since the proposal.
      assertRuleWithinFloors(input.requestType, input.environment, input, ctx.floors);
      const before = await tx.approvalRule.findUnique({ where: { requestType_environment: { requestType: input.requestType, environment: input.environment } }, select: ruleSelect });
      await writeRule(tx, input, before, approver, origin);
    },
  },
};

/** True when two recorded states of a target are the same (a stale proposal is refused). */
export function sameState(a: unknown, b: unknown): boolean {
  return isUnchanged(a ?? null, b ?? null);
}

/** The catalog's secrets with every field the editor needs (the read-only listing omits the KMS key). */
export async function listEditableSecrets(db: PrismaClient = prisma()): Promise<CatalogSecretRow[]> {
  return db.catalogSecret.findMany({ select: secretSelect, orderBy: { name: 'asc' } });
}
