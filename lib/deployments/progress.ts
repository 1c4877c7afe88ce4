import type { StackEvent } from '@/lib/deployments/model';

export const STACK_RESOURCE_TYPE = 'AWS::CloudFormation::Stack';

/** A resource status that means its part of the deployment is done. */
const DONE = new Set(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'DELETE_COMPLETE', 'DELETE_SKIPPED', 'IMPORT_COMPLETE']);

export type ExecutionOutcome = 'SUCCEEDED' | 'FAILED' | 'ROLLED_BACK';

/** What a terminal stack status means for the deployment; null while CloudFormation is still working. */
export function outcomeOfStackStatus(status: string): ExecutionOutcome | null {
  switch (status) {
    case 'CREATE_COMPLETE':
    case 'UPDATE_COMPLETE':
    case 'IMPORT_COMPLETE':
      return 'SUCCEEDED';
    case 'ROLLBACK_COMPLETE':
    case 'UPDATE_ROLLBACK_COMPLETE':
    case 'IMPORT_ROLLBACK_COMPLETE':
      return 'ROLLED_BACK';
    case 'CREATE_FAILED':
    case 'ROLLBACK_FAILED':
    case 'UPDATE_FAILED':
    case 'UPDATE_ROLLBACK_FAILED':
    case 'DELETE_FAILED':
    case 'DELETE_COMPLETE':
    case 'IMPORT_ROLLBACK_FAILED':
      return 'FAILED';
    default:
      return null;
  }
}

/** True for a stack status in which CloudFormation refuses a new operation. */
export function isStackBusy(status: string): boolean {
  return status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS';
}

export interface FirstFailure {
  logicalId: string;
  resourceType: string;
  status: string;
  reason: string;
  at: Date;
}

export interface ExecutionSummary {
  /** Resources that finished their part according to the events (before any rollback began), at most `total`; never assumed. */
  done: number;
  total: number;
  /** 0..100; 100 only once the stack reached a successful end. */
  percent: number;
  /** The first resource that failed, with CloudFormation's reason: the cause, not the cancellations it set off. */
  failure: FirstFailure | null;
  rollbackStartedAt: Date | null;
  /** The stack's latest status among the events (null before the execution's first stack event). */
  stackStatus: string | null;
  outcome: ExecutionOutcome | null;
}

const isStackEvent = (e: StackEvent, stackName: string) => e.resourceType === STACK_RESOURCE_TYPE && e.logicalId === stackName;

/**
 * Progress of an execution from its events (oldest first): done / total, where total is the number
 * of resources the change set touches and done counts only what the events report (an emulator
 * that sends no resource events shows 0 even after success); the first failure's reason; when the rollback started; and
 * the outcome once the stack's own status is terminal.
 */
export function summarizeExecution(events: readonly StackEvent[], { stackName, total }: { stackName: string; total: number }): ExecutionSummary {
  const rollbackIndex = events.findIndex((e) => isStackEvent(e, stackName) && e.status.endsWith('ROLLBACK_IN_PROGRESS'));
  const beforeRollback = rollbackIndex === -1 ? events : events.slice(0, rollbackIndex);
  const done = new Set(beforeRollback.filter((e) => !isStackEvent(e, stackName) && DONE.has(e.status)).map((e) => e.logicalId)).size;

  const failures = events.filter((e) => !isStackEvent(e, stackName) && e.status.endsWith('_FAILED'));
  // CloudFormation cancels what was running beside the resource that failed ("Resource creation
  // cancelled"): the cause is the first failure that is not a cancellation.
  const cause = failures.find((e) => !/cancell?ed/i.test(e.reason ?? '')) ?? failures[0];
  const stackFailure = events.find(
    (e) => isStackEvent(e, stackName) && (e.status.endsWith('_FAILED') || e.status.endsWith('ROLLBACK_IN_PROGRESS')) && e.reason,
  );
  const failure: FirstFailure | null = cause
    ? { logicalId: cause.logicalId, resourceType: cause.resourceType, status: cause.status, reason: cause.reason ?? cause.status, at: cause.timestamp }
    : stackFailure
      ? {
          logicalId: stackFailure.logicalId,
          resourceType: stackFailure.resourceType,
          status: stackFailure.status,
          reason: stackFailure.reason ?? stackFailure.status,
          at: stackFailure.timestamp,
        }
      : null;

  const stackEvents = events.filter((e) => isStackEvent(e, stackName));
  const stackStatus = stackEvents.at(-1)?.status ?? null;
  const outcome = stackStatus ? outcomeOfStackStatus(stackStatus) : null;
  const capped = Math.min(done, total);
  const percent = outcome === 'SUCCEEDED' ? 100 : total > 0 ? Math.min(99, Math.floor((capped / total) * 100)) : 0;
  return {
    done: capped,
    total,
    percent,
    failure,
    rollbackStartedAt: rollbackIndex === -1 ? null : events[rollbackIndex]!.timestamp,
    stackStatus,
    outcome,
  };
}
