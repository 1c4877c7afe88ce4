import { SECRET_NAME_PATTERN, secretName } from '@/lib/access/model';
import type { Environment } from '@/lib/environments';
import { auditEntry, isUnchanged, type AuditActor, type RequestOrigin } from '@/lib/audit/model';
import type { ApprovalRuleRow, CatalogRoleRow, CatalogSecretRow, CatalogStore, CatalogTx, RoleData, SecretData } from '@/lib/catalog/ports';
import { UniqueViolationError } from '@/lib/catalog/ports';
import {
  updateRuleSchema,
  upsertRoleSchema,
  upsertSecretSchema,
  type UpdateRuleInput,
  type UpsertRoleInput,
  type UpsertSecretInput,
} from '@/lib/catalog/schemas';
import { assertKmsKeyArnMatches, assertRolePolicyMatches, assertSecretArnMatches, type ExpectedAccount } from '@/lib/control-plane/arn-rules';
import { assertRuleWithinFloors } from '@/lib/control-plane/floors';
import { roleTargetKey, ruleTargetKey, secretTargetKey, type ControlPlaneChange } from '@/lib/control-plane/model';
import type { ControlPlaneContext } from '@/lib/control-plane/ports';
import type { ProposalAuthor } from '@/lib/control-plane/proposal';
import { AppError } from '@/lib/errors';

/** The catalog's ports: its storage and the control plane's configuration. */
export interface CatalogDeps {
  store: CatalogStore;
  ctx: ControlPlaneContext;
}

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

function authorOf(actor: AuditActor): ProposalAuthor {
  if (!actor.id) throw new AppError('FORBIDDEN', 'Only a signed-in user can change the control plane.');
  return { id: actor.id, name: actor.name };
}

async function withConflictMessage<T>(work: () => Promise<T>, message: () => string): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof UniqueViolationError) throw new AppError('CONFLICT', message());
    throw e;
  }
}

/**
 * The one flow of a catalog entry's edit: nothing changed writes nothing; a change only a second
 * person may make (decision 032) is checked against the account and proposed; the rest (description,
 * active) applies at once with its audit event.
 */
async function saveEntry<Row extends object>(
  tx: CatalogTx,
  actor: AuditActor,
  origin: RequestOrigin | null,
  entry: {
    before: Row | null;
    data: object;
    needsSecondPerson: boolean;
    check: () => void;
    proposal: { kind: 'CATALOG_SECRET' | 'CATALOG_ROLE'; targetKey: string; targetLabel: string; environment: Environment; payload: unknown };
    writeDirect: () => Promise<Row>;
  },
): Promise<CatalogWriteResult<Row>> {
  const { before, data } = entry;
  if (before && isUnchanged({ ...before, id: undefined }, data)) return { row: before, changed: false, proposal: null };
  if (entry.needsSecondPerson) {
    entry.check();
    const proposal = await tx.propose({ ...entry.proposal, before }, authorOf(actor), origin);
    return { row: before, changed: false, proposal };
  }
  return { row: await entry.writeDirect(), changed: true, proposal: null };
}

async function teamOrThrow(tx: CatalogTx, teamId: string) {
  const team = await tx.findTeam(teamId);
  if (!team) throw new AppError('UNPROCESSABLE', 'That team does not exist.');
  return team;
}

// ---- secrets -------------------------------------------------------------------------------

/** Validates a secret edit against the catalog (team, name convention, name taken) inside the transaction. */
async function prepareSecret(tx: CatalogTx, input: UpsertSecretInput): Promise<{ before: CatalogSecretRow | null; data: SecretData }> {
  const team = await teamOrThrow(tx, input.teamId);
  const name = secretName(input.environment, team.slug, input.name);
  if (!SECRET_NAME_PATTERN.test(name)) throw new AppError('UNPROCESSABLE', `${name} does not follow the naming convention <env>/<team>/<name>.`);
  const before = input.id ? await tx.findSecret(input.id) : null;
  if (input.id && !before) throw new AppError('NOT_FOUND', 'That secret is not in the catalog.');
  if (await tx.secretNameTaken(name, before?.id ?? null)) throw new AppError('CONFLICT', `A secret named ${name} is already in the catalog.`);
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

async function writeSecret(
  tx: CatalogTx,
  before: CatalogSecretRow | null,
  data: SecretData,
  actor: AuditActor,
  origin: RequestOrigin | null,
  direct = false,
): Promise<CatalogSecretRow> {
  const after = before ? await tx.updateSecret(before.id, direct ? descriptive(data) : data) : await tx.createSecret(data);
  await tx.appendAudit(
    // The name is what people search the history for; the id is in before/after.
    auditEntry(
      actor,
      before ? 'catalog.secret.updated' : 'catalog.secret.created',
      { type: 'secret', id: after.name },
      { environment: after.environment, teamId: after.teamId, before, after },
      new Date(),
    ),
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
  deps: CatalogDeps,
  input: UpsertSecretInput,
  actor: AuditActor,
  origin: RequestOrigin | null,
): Promise<CatalogWriteResult<CatalogSecretRow>> {
  const account = await deps.ctx.accountFor(input.environment);
  let name = '';
  const work = () =>
    deps.store.transaction(async (tx): Promise<CatalogWriteResult<CatalogSecretRow>> => {
      const { before, data } = await prepareSecret(tx, input);
      name = data.name;
      return saveEntry(tx, actor, origin, {
        before,
        data,
        needsSecondPerson: secretNeedsSecondPerson(before, data),
        check: () => assertSecretArns(data, account),
        proposal: {
          kind: 'CATALOG_SECRET',
          targetKey: secretTargetKey(before?.id ?? null, data.name),
          targetLabel: data.name,
          environment: data.environment,
          payload: input,
        },
        writeDirect: () => writeSecret(tx, before, data, actor, origin, true),
      });
    });
  return withConflictMessage(work, () => `A secret named ${name} is already in the catalog.`);
}

// ---- roles ---------------------------------------------------------------------------------

/** How the catalog page names a role: <team slug>/<env>/<function>. */
function roleLabel(teamSlug: string, environment: Environment, fn: string): string {
  return `${teamSlug}/${environment.toLowerCase()}/${fn}`;
}

async function prepareRole(tx: CatalogTx, input: UpsertRoleInput): Promise<{ before: CatalogRoleRow | null; data: RoleData; label: string; teamSlug: string }> {
  const team = await teamOrThrow(tx, input.teamId);
  const label = roleLabel(team.slug, input.environment, input.function);
  const before = input.id ? await tx.findRole(input.id) : null;
  if (input.id && !before) throw new AppError('NOT_FOUND', 'That role is not in the catalog.');
  if (await tx.roleKeyTaken({ teamId: team.id, environment: input.environment, function: input.function }, before?.id ?? null)) {
    throw new AppError('CONFLICT', `The role ${label} is already in the catalog.`);
  }
  const data: RoleData = {
    teamId: team.id,
    environment: input.environment,
    function: input.function,
    description: input.description,
    policy: input.policy,
    active: input.active,
  };
  return { before, data, label, teamSlug: team.slug };
}

/** A new role, or one whose team, environment, function (its ARN) or policy changes, needs a second approver. */
function roleNeedsSecondPerson(before: CatalogRoleRow | null, data: RoleData): boolean {
  return (
    !before ||
    before.teamId !== data.teamId ||
    before.environment !== data.environment ||
    before.function !== data.function ||
    !isUnchanged(before.policy, data.policy)
  );
}

async function writeRole(
  tx: CatalogTx,
  before: CatalogRoleRow | null,
  data: RoleData,
  label: string,
  actor: AuditActor,
  origin: RequestOrigin | null,
  direct = false,
): Promise<CatalogRoleRow> {
  const after = before ? await tx.updateRole(before.id, direct ? descriptive(data) : data) : await tx.createRole(data);
  await tx.appendAudit(
    auditEntry(
      actor,
      before ? 'catalog.role.updated' : 'catalog.role.created',
      { type: 'role', id: label },
      { environment: after.environment, teamId: after.teamId, before, after },
      new Date(),
    ),
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
  deps: CatalogDeps,
  input: UpsertRoleInput,
  actor: AuditActor,
  origin: RequestOrigin | null,
): Promise<CatalogWriteResult<CatalogRoleRow>> {
  const account = await deps.ctx.accountFor(input.environment);
  let label = '';
  const work = () =>
    deps.store.transaction(async (tx): Promise<CatalogWriteResult<CatalogRoleRow>> => {
      const prepared = await prepareRole(tx, input);
      const { before, data } = prepared;
      label = prepared.label;
      return saveEntry(tx, actor, origin, {
        before,
        data,
        needsSecondPerson: roleNeedsSecondPerson(before, data),
        check: () => assertRolePolicyMatches(data.policy, prepared.teamSlug, data.environment, account),
        proposal: {
          kind: 'CATALOG_ROLE',
          targetKey: roleTargetKey(before?.id ?? null, label),
          targetLabel: label,
          environment: data.environment,
          payload: input,
        },
        writeDirect: () => writeRole(tx, before, data, label, actor, origin, true),
      });
    });
  return withConflictMessage(work, () => `The role ${label} is already in the catalog.`);
}

// ---- rules ---------------------------------------------------------------------------------

async function writeRule(
  tx: CatalogTx,
  input: UpdateRuleInput,
  before: ApprovalRuleRow | null,
  actor: AuditActor,
  origin: RequestOrigin | null,
): Promise<ApprovalRuleRow> {
  const { requestType, environment } = input;
  const after = await tx.upsertRule(input);
  await tx.appendAudit(
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
  deps: CatalogDeps,
  input: UpdateRuleInput,
  actor: AuditActor,
  origin: RequestOrigin | null,
): Promise<CatalogWriteResult<ApprovalRuleRow>> {
  const { requestType, environment, ...values } = input;
  assertRuleWithinFloors(requestType, environment, values, deps.ctx.floors);
  return deps.store.transaction(async (tx): Promise<CatalogWriteResult<ApprovalRuleRow>> => {
    const before = await tx.findRule(requestType, environment);
    if (before && isUnchanged({ ...before, id: undefined }, { requestType, environment, ...values })) return { row: before, changed: false, proposal: null };
    const proposal = await tx.propose(
      {
        kind: 'APPROVAL_RULE',
        targetKey: ruleTargetKey(requestType, environment),
        targetLabel: `${requestType}/${environment}`,
        environment,
        before,
        payload: input,
      },
      authorOf(actor),
      origin,
    );
    return { row: before, changed: false, proposal };
  });
}

// ---- applying an approved change -----------------------------------------------------------

/** Applies approved catalog and rule changes inside the approving transaction (lib/server/db/repositories/control-plane.ts). */
export interface CatalogChangeApplier {
  /** The target as it is now, in the shape the proposal recorded as `before` (a different one means the proposal is stale). */
  current(tx: CatalogTx, change: ControlPlaneChange): Promise<unknown>;
  /** Re-validates the proposal against the catalog, the floors and the account, then writes it and its audit event. */
  apply(
    tx: CatalogTx,
    change: ControlPlaneChange,
    approver: AuditActor,
    origin: RequestOrigin | null,
    ctx: ControlPlaneContext,
    account: ExpectedAccount | null,
  ): Promise<void>;
}

export const catalogChangeAppliers: Record<'CATALOG_SECRET' | 'CATALOG_ROLE' | 'APPROVAL_RULE', CatalogChangeApplier> = {
  CATALOG_SECRET: {
    async current(tx, change) {
      const input = upsertSecretSchema.parse(change.payload);
      if (!input.id) return tx.findSecretByName(change.targetLabel);
      return tx.findSecret(input.id);
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
      if (!input.id) return tx.findRoleByKey({ teamId: input.teamId, environment: input.environment, function: input.function });
      return tx.findRole(input.id);
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
      return tx.findRule(requestType, environment);
    },
    async apply(tx, change, approver, origin, ctx) {
      const input = updateRuleSchema.parse(change.payload);
      // The floors are re-checked: the configuration may have been tightened since the proposal.
      assertRuleWithinFloors(input.requestType, input.environment, input, ctx.floors);
      const before = await tx.findRule(input.requestType, input.environment);
      await writeRule(tx, input, before, approver, origin);
    },
  },
};

/** True when two recorded states of a target are the same (a stale proposal is refused). */
export function sameState(a: unknown, b: unknown): boolean {
  return isUnchanged(a ?? null, b ?? null);
}
