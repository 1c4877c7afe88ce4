import type { DeploymentStatus, StackEvent } from '@/lib/deployments/model';
import type { EnvironmentSlug } from '@/lib/environments';
import type { PlanWarning } from '@/lib/deployments/warnings';
import type { FunctionTraffic } from '@/lib/deployments/traffic';

/** An event as the browser gets it. */
export interface LiveEvent {
  id: string;
  at: string;
  logicalId: string;
  physicalId: string | null;
  resourceType: string;
  status: string;
  reason: string | null;
}

/** What the deployment page polls (GET /api/v1/deployments/:id): plain JSON, times as ISO strings. */
export interface LiveDeployment {
  id: string;
  environment: EnvironmentSlug;
  stackName: string;
  status: DeploymentStatus;
  changeSetType: string;
  templateRevision: string;
  approvalsRequired: number;
  approvals: { approver: string; kind: 'APPROVE' | 'REJECT'; comment: string; at: string }[];
  plannedBy: string;
  plannedAt: string;
  executedBy: string | null;
  executedAt: string | null;
  finishedAt: string | null;
  progress: { done: number; total: number; percent: number };
  stackStatus: string | null;
  failureReason: string | null;
  failedResource: string | null;
  rollbackStartedAt: string | null;
  planError: string | null;
  lastPollError: string | null;
  outputs: Record<string, string> | null;
  /** The release the plan deploys (null for plans made before releases). */
  releaseId: string | null;
  /**
   * Per function, the traffic shift (percentage on the new version, versions, the alarms watched and
   * their state, the automatic rollback), as the poll job last read it; null until CloudFormation
   * reaches an alias (docs/decisions/044-traffic-shift.md).
   */
  traffic: FunctionTraffic[] | null;
  /** What the plan does that an approver must see first (engine versions, stateful resources, IAM); empty until the diff exists. */
  warnings: PlanWarning[];
  /** Approving needs the stack name typed (a prod plan with warnings). */
  confirmationRequired: boolean;
  /** Newest first. */
  events: LiveEvent[];
}

/** Statuses the page keeps polling in: CloudFormation is still working. */
export function isLive(status: DeploymentStatus): boolean {
  return status === 'PLANNING' || status === 'EXECUTING';
}

/** The progress bar's value: 100 only once the deployment succeeded. */
export function progressPercent(status: DeploymentStatus, done: number, total: number): number {
  if (status === 'SUCCEEDED') return 100;
  return total > 0 ? Math.min(99, Math.floor((Math.min(done, total) / total) * 100)) : 0;
}

export function toLiveEvent(e: StackEvent): LiveEvent {
  return {
    id: e.eventId,
    at: e.timestamp.toISOString(),
    logicalId: e.logicalId,
    physicalId: e.physicalId,
    resourceType: e.resourceType,
    status: e.status,
    reason: e.reason,
  };
}
