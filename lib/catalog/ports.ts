import type { ApproverGroup, RequestType } from '@/lib/access/model';
import type { Environment } from '@/lib/environments';
import type { AuditLog } from '@/lib/audit/model';
import type { PolicyStatement, UpdateRuleInput } from '@/lib/catalog/schemas';
import type { ProposalLog } from '@/lib/control-plane/proposal';

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

/** An approval rule as stored. */
export interface ApprovalRuleRow {
  id: string;
  requestType: RequestType;
  environment: Environment;
  approvalsRequired: number;
  approverGroup: ApproverGroup;
  maxDurationMinutes: number;
  pendingTtlMinutes: number;
  breakGlassAllowed: boolean;
}

export type SecretData = Omit<CatalogSecretRow, 'id'>;
export type RoleData = Omit<CatalogRoleRow, 'id'>;
/** The fields a direct edit (no second person) writes. */
export type DescriptiveData = Pick<CatalogSecretRow, 'description' | 'active'>;
/** What identifies a role: one per team, environment and function. */
export type RoleKey = Pick<CatalogRoleRow, 'teamId' | 'environment' | 'function'>;

/** The catalog's reads and writes inside one transaction; each write's audit event goes through the same transaction. */
export interface CatalogTx extends AuditLog, ProposalLog {
  findTeam(id: string): Promise<{ id: string; slug: string } | null>;
  findSecret(id: string): Promise<CatalogSecretRow | null>;
  findSecretByName(name: string): Promise<CatalogSecretRow | null>;
  /** True when another secret (not `exceptId`) has this name. */
  secretNameTaken(name: string, exceptId: string | null): Promise<boolean>;
  createSecret(data: SecretData): Promise<CatalogSecretRow>;
  updateSecret(id: string, data: SecretData | DescriptiveData): Promise<CatalogSecretRow>;
  findRole(id: string): Promise<CatalogRoleRow | null>;
  findRoleByKey(key: RoleKey): Promise<CatalogRoleRow | null>;
  /** True when another role (not `exceptId`) has this team, environment and function. */
  roleKeyTaken(key: RoleKey, exceptId: string | null): Promise<boolean>;
  createRole(data: RoleData): Promise<CatalogRoleRow>;
  updateRole(id: string, data: RoleData | DescriptiveData): Promise<CatalogRoleRow>;
  findRule(requestType: RequestType, environment: Environment): Promise<ApprovalRuleRow | null>;
  upsertRule(input: UpdateRuleInput): Promise<ApprovalRuleRow>;
}

/** The catalog's storage: every edit is one transaction, the row and its audit event written together or not at all. */
export interface CatalogStore {
  /** Runs `work` in one transaction; a unique-constraint violation surfaces as UniqueViolationError. */
  transaction<T>(work: (tx: CatalogTx) => Promise<T>): Promise<T>;
}

/** Two editors saved the same unique key at once: the loser is told, not a 500. */
export class UniqueViolationError extends Error {
  constructor() {
    super('unique constraint violated');
    this.name = 'UniqueViolationError';
  }
}
