import type { EnvironmentSlug } from '@/lib/environments';

/** The stack of an environment: the template names every resource serverless-<env>-…, and the stack the same way. */
export function stackNameFor(env: EnvironmentSlug): string {
  return `serverless-${env}`;
}

export const DEPLOYMENT_STATUSES = [
  'PLANNING',
  'PLAN_FAILED',
  'PLANNED',
  'APPROVAL_PENDING',
  'APPROVED',
  'REJECTED',
  'EXECUTING',
  'SUCCEEDED',
  'FAILED',
  'ROLLED_BACK',
  'EXPIRED',
] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

export type ChangeSetType = 'CREATE' | 'UPDATE';

/** A stack as DescribeStacks reports it. */
export interface StackInfo {
  stackId: string;
  stackName: string;
  status: string;
  statusReason: string | null;
  createdAt: Date;
  lastUpdatedAt: Date | null;
  outputs: { key: string; value: string; description: string | null }[];
  parameters: Record<string, string>;
  tags: Record<string, string>;
  driftStatus: string | null;
  lastDriftCheckAt: Date | null;
  /** The change set the stack last ran (DescribeStacks' ChangeSetId); absent when not reported. */
  changeSetId?: string | null;
}

/** One DescribeStackEvents entry. */
export interface StackEvent {
  eventId: string;
  timestamp: Date;
  logicalId: string;
  physicalId: string | null;
  resourceType: string;
  status: string;
  reason: string | null;
  /**
   * The ClientRequestToken of the stack operation that produced the event (every event of an
   * execution carries its token); absent where an emulator does not set it, and on stored events.
   */
  clientRequestToken?: string | null;
}

/** One `Details` entry of a resource change, as DescribeChangeSet returns it (IncludePropertyValues). */
export interface RawChangeDetail {
  attribute: string | null;
  name: string | null;
  path: string | null;
  requiresRecreation: string | null;
  beforeValue: string | null;
  afterValue: string | null;
  attributeChangeType: string | null;
  evaluation: string | null;
  changeSource: string | null;
  causingEntity: string | null;
}

/** One `ResourceChange` of a change set. */
export interface RawResourceChange {
  action: string;
  logicalId: string;
  physicalId: string | null;
  resourceType: string;
  replacement: string | null;
  scope: string[];
  details: RawChangeDetail[];
  /** JSON of the resource's properties before / after (IncludePropertyValues). */
  beforeContext: string | null;
  afterContext: string | null;
}

/** A change set as DescribeChangeSet reports it (every page). */
export interface ChangeSetInfo {
  changeSetId: string;
  status: string;
  statusReason: string | null;
  executionStatus: string;
  createdAt: Date;
  changes: RawResourceChange[];
}

export interface CreateChangeSetInput {
  stackName: string;
  changeSetName: string;
  changeSetType: ChangeSetType;
  templateBody: string;
  parameters: Record<string, string>;
  description: string;
  /** Sandbox only: the resource whose change the simulated execution fails on. The AWS adapter refuses it. */
  sandboxFailResource?: string;
}

export type DriftDetectionState = 'DETECTION_IN_PROGRESS' | 'DETECTION_COMPLETE' | 'DETECTION_FAILED';

export interface DriftDetectionStatus {
  state: DriftDetectionState;
  stackDriftStatus: string | null;
  driftedCount: number | null;
  reason: string | null;
}

export interface PropertyDifference {
  path: string;
  expected: string | null;
  actual: string | null;
  /** ADD | REMOVE | NOT_EQUAL */
  type: string;
}

/** A resource whose live configuration differs from the template (DescribeStackResourceDrifts). */
export interface ResourceDrift {
  logicalId: string;
  physicalId: string | null;
  resourceType: string;
  /** MODIFIED | DELETED | IN_SYNC | NOT_CHECKED */
  status: string;
  differences: PropertyDifference[];
}

/** Whether an environment runs a deployed stack and which release it runs (its ReleaseLabel parameter). */
export interface DeployedRelease {
  deployed: boolean;
  release: string | null;
}

/**
 * What an environment runs, from its stack as CloudFormation describes it: the one answer the
 * Deployments page and the alarms page's environment cards both show (a stack still in review was
 * never deployed).
 */
export function deployedRelease(stack: StackInfo | null): DeployedRelease {
  if (!stack || stack.status === 'REVIEW_IN_PROGRESS') return { deployed: false, release: null };
  return { deployed: true, release: stack.parameters.ReleaseLabel ?? null };
}
