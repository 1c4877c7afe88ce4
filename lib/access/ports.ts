import type { AuditLog } from '@/lib/audit/model';
import type { GrantInputs, NewGrant } from '@/lib/grants/build-grant';
import type { GrantRecord } from '@/lib/grants/model';
import type { GrantTx } from '@/lib/grants/ports';
import type { ApprovalRuleValues, ApproverCapacity, ApproverGroup, DecisionKind, RequestStatus, RequestType } from '@/lib/access/model';
import type { Environment } from '@/lib/environments';
import type { NewNotification } from '@/lib/notifications/ports';
import type { ApproverStanding } from '@/lib/access/decide';

export interface SecretTarget {
  id: string;
  name: string;
  environment: Environment;
  teamId: string;
  active: boolean;
  arn: string | null;
}

export interface RoleTarget {
  id: string;
  teamId: string;
  teamSlug: string;
  environment: Environment;
  function: string;
  active: boolean;
}

/** A request as the decision rules and the pages need it. */
export interface RequestRecord {
  id: string;
  type: RequestType;
  status: RequestStatus;
  environment: Environment;
  requesterId: string;
  teamId: string;
  secretId: string | null;
  roleId: string | null;
  proposedSecret: { name: string; description: string; rotationDays: number | null } | null;
  justification: string;
  ticketRef: string | null;
  durationMinutes: number;
  startsAt: Date | null;
  approvalsRequired: number;
  approverGroup: ApproverGroup;
  maxDurationMinutes: number;
  eligibleSecurityIds: string[];
  eligibleLeadIds: string[];
  pendingExpiresAt: Date;
  breakGlass: boolean;
  breakGlassReason: string | null;
  extendsRequestId: string | null;
  version: number;
  createdAt: Date;
  decidedAt: Date | null;
}

export interface DecisionRecord {
  id: string;
  requestId: string;
  approverId: string;
  kind: DecisionKind;
  capacity: ApproverCapacity;
  comment: string;
  createdAt: Date;
}

export type NewRequest = Omit<RequestRecord, 'id' | 'version' | 'createdAt' | 'decidedAt'> & { decidedAt: Date | null };

/** The work one transaction can do; every method runs inside it. */
/** Its audit events are appended in this transaction (AuditLog), so they commit with the change. */
export interface AccessTx extends AuditLog {
  /** The request and its decisions, as of now, inside the transaction. */
  loadRequest(id: string): Promise<{ request: RequestRecord; decisions: DecisionRecord[] } | null>;
  insertRequest(request: NewRequest): Promise<RequestRecord>;
  /**
   * What the user holds now (active, SECURITY role, lead of the team), read in this transaction
   * and share-locked until it ends, so that a role change made meanwhile waits for the decision
   * or the decision sees the change.
   */
  approverStanding(userId: string, teamId: string): Promise<ApproverStanding>;
  insertDecision(decision: Omit<DecisionRecord, 'id'>): Promise<DecisionRecord>;
  /**
   * Sets the status (and bumps the version) only if the request still has `expectedVersion`;
   * false means someone else changed it first.
   */
  updateRequest(
    id: string,
    expectedVersion: number,
    patch: { status: RequestStatus; decidedAt?: Date | null; endedAt?: Date | null; endReason?: string | null },
  ): Promise<boolean>;
  /**
   * What limits a break-glass request of the user: whether they are a member of the team, how many
   * of their break-glass requests are approved or active, and how many they made since `since`.
   * Takes a per-user lock first, held until the transaction ends, so that two break-glass requests
   * of one user at the same instant are counted one after the other.
   */
  breakGlassUsage(userId: string, teamId: string, since: Date): Promise<{ member: boolean; active: number; recent: number }>;
  /** The grant of a request with the grant engine's transaction port, to end it in this transaction. */
  grantOfRequest(requestId: string): Promise<{ grant: GrantRecord; tx: GrantTx } | null>;
  insertBreakGlassReview(review: { requestId: string; outcome: 'ACKNOWLEDGED' | 'ESCALATED'; reviewerId: string; comment: string }): Promise<boolean>;
  /** What a message names: who asked, and for what (the secret's, new secret's or role's name). */
  describeRequest(id: string): Promise<{ requesterName: string; targetName: string } | null>;
  /** Queues a notification in this transaction: it exists only if the change commits (docs/decisions/006-notifications.md). */
  enqueueNotification(notification: NewNotification): Promise<void>;
  /** What turning the request into a grant needs: the requester's AWS identity and the secret's ARN. */
  /** The grant's inputs, with the requester's principal in `account` (the environment's). */
  grantInputs(requestId: string, account: GrantAccount): Promise<GrantInputs>;
  /** Records the grant of an approved request (the lifecycle job applies it in AWS). */
  insertGrant(requestId: string, id: string, grant: NewGrant, now: Date): Promise<{ id: string }>;
  /** A fresh grant id (the policy of a role grant names it before the row exists). */
  newGrantId(): string;
}

/** The AWS account (and its primary region) an environment's grants are applied in. */
export interface GrantAccount {
  accountId: string;
  region: string;
}

/** What the access use cases need from storage. */
export interface AccessStore {
  /** Whether the user has an AWS identity in the account that grants can attach to. */
  hasPrincipal(userId: string, accountId: string): Promise<boolean>;
  transaction<T>(work: (tx: AccessTx) => Promise<T>): Promise<T>;
  findSecret(id: string): Promise<SecretTarget | null>;
  findRole(id: string): Promise<RoleTarget | null>;
  findTeam(id: string): Promise<{ id: string; slug: string } | null>;
  secretNameTaken(name: string): Promise<boolean>;
  findRule(type: RequestType, environment: Environment): Promise<ApprovalRuleValues | null>;
  /** Active users with the SECURITY role. */
  listSecurityUserIds(): Promise<string[]>;
  /** Active leads of the team. */
  listTeamLeadIds(teamId: string): Promise<string[]>;
  /** Requests still PENDING whose time to be answered has passed. */
  listOverduePending(now: Date, limit: number): Promise<string[]>;
}
