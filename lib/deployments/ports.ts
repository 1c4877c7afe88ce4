import type { AuditEntry, AuditLog } from '@/lib/audit/model';
import type { CodeChange, ReleaseRecord } from '@/lib/deployments/releases';
import type { TemplateModel } from '@/lib/deployments/template-model';
import type { DiffRow, DiffSummary } from '@/lib/deployments/diff';
import type {
  ChangeSetInfo,
  ChangeSetType,
  CreateChangeSetInput,
  DeploymentStatus,
  DriftDetectionStatus,
  ResourceDrift,
  StackEvent,
  StackInfo,
} from '@/lib/deployments/model';
import type { Environment, EnvironmentSlug } from '@/lib/environments';
import type { NewNotification } from '@/lib/notifications/ports';
import type { ParameterChange } from '@/lib/deployments/parameters';
import type { FunctionTraffic } from '@/lib/deployments/traffic';

/**
 * What deployments need from CloudFormation. Two adapters: the AWS SDK (lib/server/aws) and the
 * local sandbox account (lib/server/sandbox). Errors are AppErrors; `details.awsError` carries
 * CloudFormation's error name (ValidationError, InvalidChangeSetStatus, …) in both.
 */
export interface CloudFormationPort {
  /** The stack, or null when there is none by that name. */
  describeStack(stackName: string): Promise<StackInfo | null>;
  createChangeSet(input: CreateChangeSetInput): Promise<{ changeSetId: string; stackId: string }>;
  /** The template the stack runs, as it was submitted (GetTemplate, Original); null without a stack. */
  getTemplateBody(stackName: string): Promise<string | null>;
  /** Every page of the change set, with property values. */
  describeChangeSet(stackName: string, changeSetId: string): Promise<ChangeSetInfo>;
  executeChangeSet(stackName: string, changeSetId: string, idempotencyToken: string): Promise<void>;
  /** Deletes a change set that will not run; one already gone is fine. */
  deleteChangeSet(stackName: string, changeSetId: string): Promise<void>;
  /** The id of the stack's newest event (null when it has none). */
  latestStackEventId(stackName: string): Promise<string | null>;
  /**
   * The stack's events newer than `afterEventId` (or, without it, not older than `notBefore`),
   * oldest first. Pages back through DescribeStackEvents until it meets that point; backs off and
   * retries when throttled.
   */
  listStackEvents(stackName: string, since: { afterEventId: string | null; notBefore: Date }): Promise<StackEvent[]>;
  /** Starts drift detection; returns its id. */
  detectStackDrift(stackName: string): Promise<string>;
  describeDriftDetection(detectionId: string): Promise<DriftDetectionStatus>;
  /** The stack's resources that drifted (MODIFIED, DELETED) with their differences, every page. */
  listResourceDrifts(stackName: string): Promise<ResourceDrift[]>;
}

/** The template in infra/ and each environment's parameter file. */
export interface TemplateSource {
  template(): Promise<{ text: string; model: TemplateModel }>;
  parameterFile(env: EnvironmentSlug): Promise<Record<string, string>>;
}

export interface DeploymentRecord {
  id: string;
  environment: Environment;
  stackName: string;
  status: DeploymentStatus;
  changeSetType: ChangeSetType;
  changeSetName: string;
  changeSetId: string;
  templateRevision: string;
  parameters: Record<string, string>;
  overrides: Record<string, string>;
  /** The release the plan deploys (null for plans recorded before releases). */
  releaseId: string | null;
  /** Per function, the stack's code and the release's (null for plans recorded before releases). */
  codeChanges: CodeChange[] | null;
  /** Every parameter whose value the plan changes on the stack (null for plans recorded before it was kept). */
  parameterChanges: ParameterChange[] | null;
  /** The functions' traffic shifts as they ended (stored when the execution ends; read live while it runs). */
  trafficShifts: FunctionTraffic[] | null;
  changes: DiffRow[] | null;
  summary: DiffSummary | null;
  totalResources: number | null;
  planError: string | null;
  sandboxFailResource: string | null;
  approvalsRequired: number;
  plannedById: string;
  plannedAt: Date;
  stackVersion: string;
  executedById: string | null;
  executedAt: Date | null;
  executionStartedAt: Date | null;
  baselineEventId: string | null;
  lastEventId: string | null;
  activeStack: string | null;
  progressDone: number;
  stackStatus: string | null;
  failureReason: string | null;
  failedResource: string | null;
  rollbackStartedAt: Date | null;
  finishedAt: Date | null;
  outputs: Record<string, string> | null;
  nextPollAt: Date;
  pollFailures: number;
  lastPollError: string | null;
  version: number;
}

/** What planning, execution and polling fill in later: a new deployment starts without them. */
type OutcomeField =
  | 'trafficShifts'
  | 'changes'
  | 'summary'
  | 'totalResources'
  | 'planError'
  | 'executedById'
  | 'executedAt'
  | 'executionStartedAt'
  | 'baselineEventId'
  | 'lastEventId'
  | 'activeStack'
  | 'progressDone'
  | 'stackStatus'
  | 'failureReason'
  | 'failedResource'
  | 'rollbackStartedAt'
  | 'finishedAt'
  | 'outputs'
  | 'pollFailures'
  | 'lastPollError';

export type NewDeployment = Omit<DeploymentRecord, OutcomeField | 'version'>;

export type DeploymentPatch = Partial<Pick<DeploymentRecord, OutcomeField | 'status' | 'nextPollAt'>> & { leaseUntil?: Date | null };

export interface ApprovalRecord {
  id: string;
  deploymentId: string;
  approverId: string;
  kind: 'APPROVE' | 'REJECT';
  comment: string;
  createdAt: Date;
}

export interface DriftCheckRecord {
  id: string;
  environment: Environment;
  stackName: string;
  detectionId: string;
  status: 'DETECTING' | 'COMPLETE' | 'FAILED';
  stackDriftStatus: string | null;
  driftedCount: number | null;
  resources: ResourceDrift[] | null;
  error: string | null;
  requestedById: string;
  createdAt: Date;
  completedAt: Date | null;
  nextPollAt: Date;
  version: number;
}

/** The deployments' storage; leases and version checks keep replicas from doubling work. */
export interface DeploymentStore {
  find(id: string): Promise<DeploymentRecord | null>;
  /**
   * Takes the row for `leaseMs` if it is in one of `statuses`, due and not held; returns it, or
   * null. The lease does not change the version: every write that follows checks it.
   */
  lease(id: string, statuses: readonly DeploymentStatus[], now: Date, leaseMs: number): Promise<DeploymentRecord | null>;
  /** Ids due for the poll job: plans being prepared, executions under way, drift detections. */
  listDue(now: Date, limit: number): Promise<{ deployments: string[]; driftChecks: string[] }>;
  /** Open plans planned before `before` (expired by age). */
  listOpenPlannedBefore(before: Date, limit: number): Promise<string[]>;
  /** Open plans of a stack other than `exceptId` (expired when the stack changes). */
  listOpenForStack(stackName: string, exceptId: string): Promise<string[]>;
  /**
   * Moves the plan to EXECUTING and takes the stack: 'claimed'; 'moved' when the plan is no longer
   * at `version` in one of `from`; 'busy' when another deployment of the stack is executing.
   */
  claimExecution(id: string, version: number, from: readonly DeploymentStatus[], patch: DeploymentPatch): Promise<'claimed' | 'moved' | 'busy'>;
  /** The deployment executing on the stack, if any. */
  findExecuting(stackName: string): Promise<{ id: string } | null>;
  listApprovals(id: string): Promise<ApprovalRecord[]>;
  /** Events stored for the deployment, oldest first. */
  listEvents(id: string): Promise<StackEvent[]>;
  findDriftCheck(id: string): Promise<DriftCheckRecord | null>;
  leaseDriftCheck(id: string, now: Date, leaseMs: number): Promise<DriftCheckRecord | null>;
  findDetectingDriftCheck(environment: Environment): Promise<DriftCheckRecord | null>;
  transaction<T>(work: (tx: DeploymentTx) => Promise<T>): Promise<T>;
}

/** Its audit events are appended in this transaction (AuditLog), so they commit with the change. */
export interface DeploymentTx extends AuditLog {
  insert(d: NewDeployment): Promise<void>;
  /** Applies only if the row still has `version` (and bumps it); false means someone else moved it. */
  update(id: string, version: number, patch: DeploymentPatch): Promise<boolean>;
  /**
   * Records that CloudFormation accepted the execution (once: only while EXECUTING and not yet
   * started, whatever the version, since the poll job may have looked at the row meanwhile) and
   * makes it due for polling at once.
   */
  markStarted(id: string, at: Date): Promise<boolean>;
  /** Hands back a claim CloudFormation refused (only while EXECUTING and not started). */
  releaseClaim(id: string, patch: DeploymentPatch): Promise<boolean>;
  /** The plan and its decisions as of now, inside the transaction. */
  load(id: string): Promise<{ deployment: DeploymentRecord; approvals: ApprovalRecord[] } | null>;
  insertApproval(a: Omit<ApprovalRecord, 'id' | 'createdAt'> & { createdAt: Date }): Promise<void>;
  /** Stores events not stored yet (by event id); returns how many were new. */
  insertEvents(id: string, events: readonly StackEvent[]): Promise<number>;
  /** Queues a Slack message in this transaction (the outbox, docs/decisions/006-notifications.md): sent only if the change commits. */
  enqueueNotification(notification: NewNotification): Promise<void>;
  /** Users' names by id (for messages); unknown ids are left out. */
  userNames(ids: readonly string[]): Promise<Map<string, string>>;
  insertDriftCheck(c: Omit<DriftCheckRecord, 'version' | 'stackDriftStatus' | 'driftedCount' | 'resources' | 'error' | 'completedAt'>): Promise<void>;
  updateDriftCheck(
    id: string,
    version: number,
    patch: Partial<Pick<DriftCheckRecord, 'status' | 'stackDriftStatus' | 'driftedCount' | 'resources' | 'error' | 'completedAt' | 'nextPollAt'>> & {
      leaseUntil?: Date | null;
    },
  ): Promise<boolean>;
}

/**
 * Where a release's zips are uploaded: an account's deployment bucket (lib/server/aws) or a
 * simulated account's store (lib/server/sandbox). Keys name content, so putting one twice is fine.
 */
export interface ArtifactStore {
  /** Where it writes, for the audit history and messages (`s3://bucket`, `sandbox:111122223333`). */
  readonly location: string;
  /** The S3 bucket the stack's functions load their code from (the template's ArtifactBucket); null in the sandbox, which keeps the parameter file's. */
  readonly bucket: string | null;
  /** Stores `body` at `key`; `sha256` (hex) is the body's, checked by the store where it can. */
  put(key: string, body: Uint8Array, sha256: string): Promise<void>;
  /** Whether an object is stored at `key` (a plan checks its release's zips are there). */
  has(key: string): Promise<boolean>;
}

/** The recorded releases (docs/decisions/042-releases.md). */
export interface ReleaseStore {
  /**
   * Inserts the release and appends `audit` in one transaction, unless a release with the same
   * content is recorded: then that one is returned and nothing is written.
   */
  insertIfAbsent(release: ReleaseRecord, audit: AuditEntry): Promise<{ release: ReleaseRecord; created: boolean }>;
  find(id: string): Promise<ReleaseRecord | null>;
  /** Newest built first. */
  list(limit: number): Promise<ReleaseRecord[]>;
}

/**
 * The traffic shift of a stack's functions (docs/decisions/044-traffic-shift.md): per function, the
 * alias `live` (its versions and weights, Lambda GetAlias) and the newest CodeDeploy deployment of
 * its deployment group created since `since` (status, configuration, the alarms watched and their
 * state, the rollback). Two adapters: AWS (CodeDeploy, Lambda, CloudWatch) and the sandbox's simulation.
 */
export interface TrafficShiftPort {
  readTrafficShifts(stackName: string, since: Date): Promise<FunctionTraffic[]>;
}
