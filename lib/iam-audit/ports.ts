import type { AppRole } from '@/lib/identity/actor';
import type { AuditEntry, AuditLog, RequestOrigin } from '@/lib/audit/model';
import type { PolicyDocument } from '@/lib/grants/policy';
import type { BaselinePlan, BaselineStatus, PortalPrincipal } from '@/lib/iam-audit/baseline';
import type { AccountAuthorizationDetails } from '@/lib/iam-audit/model';
import type { AuditSettings, Finding } from '@/lib/iam-audit/rules';

/**
 * What the IAM audit and the secrets baseline need from IAM. The baseline operations are
 * idempotent: creating what exists, adding a member twice or removing one that is gone succeeds,
 * so that a failed apply can simply be run again.
 */
export interface IamAccountPort {
  /** The account's partition and id (the baseline policy names the account's secrets). */
  describeAccount(): Promise<{ partition: string; accountId: string }>;
  /** Every user, group, role and managed policy of the account (all pages), documents decoded. */
  getAccountAuthorizationDetails(): Promise<AccountAuthorizationDetails>;
  /** Creates the group under `path` unless it exists; returns its ARN. */
  ensureGroup(groupName: string, path: string): Promise<string>;
  /** Creates (or brings up to date) the customer-managed policy under `path` and attaches it to the group; returns its ARN. */
  ensureGroupPolicy(groupName: string, policyName: string, path: string, document: PolicyDocument): Promise<string>;
  addUserToGroup(groupName: string, userName: string): Promise<void>;
  removeUserFromGroup(groupName: string, userName: string): Promise<void>;
  /** The IAM user names in the group; null when there is no such group. */
  listGroupMembers(groupName: string): Promise<string[] | null>;
}

/** One account of a scan: what was read there, or why it could not be (docs/decisions/039). */
export interface ScannedAccount {
  accountId: string | null;
  alias: string | null;
  principalCount: number;
  policyCount: number;
  /** Why the account could not be scanned (its findings are then absent); null when it was. */
  error: string | null;
}

/** One stored audit scan. */
export interface ScanRecord {
  id: string;
  startedAt: Date;
  finishedAt: Date;
  startedById: string | null;
  startedByName: string;
  principalCount: number;
  policyCount: number;
  settings: AuditSettings;
  findings: Finding[];
  /** Each account scanned (empty for scans stored before accounts were recorded). */
  accounts: ScannedAccount[];
}

/** One baseline plan and where it is in its life (docs/decisions/017-secrets-baseline.md). */
export interface BaselinePlanRecord {
  id: string;
  status: BaselineStatus;
  groupName: string;
  policyName: string;
  document: PolicyDocument;
  plan: BaselinePlan;
  authorId: string;
  authorName: string;
  createdAt: Date;
  decidedById: string | null;
  decidedByName: string | null;
  decidedAt: Date | null;
  decisionComment: string | null;
  appliedById: string | null;
  appliedByName: string | null;
  appliedAt: Date | null;
  attempts: number;
  lastError: string | null;
  version: number;
}

export type NewBaselinePlan = Pick<BaselinePlanRecord, 'groupName' | 'policyName' | 'document' | 'plan' | 'authorId' | 'authorName' | 'createdAt'>;

export type BaselinePlanPatch = Partial<
  Pick<
    BaselinePlanRecord,
    'status' | 'decidedById' | 'decidedByName' | 'decidedAt' | 'decisionComment' | 'appliedById' | 'appliedByName' | 'appliedAt' | 'attempts' | 'lastError'
  >
> & { leaseUntil?: Date | null };

/** Its audit events are appended in this transaction (AuditLog), so they commit with the change. */
export interface BaselineTx extends AuditLog {
  /**
   * Takes the baseline's lock for the rest of the transaction (so that at most one plan is open),
   * marks every open plan SUPERSEDED and returns their ids.
   */
  supersedeOpenPlans(now: Date): Promise<string[]>;
  insertPlan(plan: NewBaselinePlan): Promise<BaselinePlanRecord>;
  /** Applies only if the plan still has `version` (and increments it); false means someone else moved it. */
  updatePlan(id: string, version: number, patch: BaselinePlanPatch): Promise<boolean>;
  /** A user's roles as the database holds them now (null: no such user or deactivated), read under a share lock. */
  currentRoles(userId: string): Promise<AppRole[] | null>;
}

/** The audit's and the baseline's storage. */
export interface IamAuditStore {
  latestScan(): Promise<ScanRecord | null>;
  /** Stores a finished scan with its audit event (built from the new id) in one transaction. */
  saveScan(scan: Omit<ScanRecord, 'id'>, audit: (id: string) => AuditEntry, origin: RequestOrigin | null): Promise<ScanRecord>;
  /** Every portal user with their roles and AWS identity. */
  listPortalPrincipals(accountId: string): Promise<PortalPrincipal[]>;
  latestPlan(): Promise<BaselinePlanRecord | null>;
  findPlan(id: string): Promise<BaselinePlanRecord | null>;
  /** Takes the plan for `leaseMs` if it is in one of `statuses` and nobody holds it; returns it (version incremented), or null. */
  leasePlan(id: string, statuses: readonly BaselineStatus[], now: Date, leaseMs: number): Promise<BaselinePlanRecord | null>;
  transaction<T>(work: (tx: BaselineTx) => Promise<T>): Promise<T>;
}
