import { AppError, isAppError } from '@/lib/errors';
import type { Actor, AppRole } from '@/lib/identity/actor';
import type { DeploymentStatus, StackInfo } from '@/lib/deployments/model';
import type { EnvironmentSlug } from '@/lib/environments';
import { plural } from '@/lib/i18n/plural';

/**
 * The plan's state machine (docs/decisions/019-deployments.md):
 * PLANNING -> PLANNED (no approval needed) | APPROVAL_PENDING -> APPROVED | REJECTED;
 * PLANNED | APPROVED -> EXECUTING -> SUCCEEDED | FAILED | ROLLED_BACK;
 * EXECUTING -> PLANNED | APPROVED when CloudFormation refused to start it (nothing ran);
 * an open plan -> EXPIRED when it is too old or the stack changed since; PLANNING -> PLAN_FAILED.
 */
const TRANSITIONS: Record<DeploymentStatus, readonly DeploymentStatus[]> = {
  PLANNING: ['PLANNED', 'APPROVAL_PENDING', 'PLAN_FAILED', 'EXPIRED'],
  PLANNED: ['EXECUTING', 'EXPIRED'],
  APPROVAL_PENDING: ['APPROVED', 'REJECTED', 'EXPIRED'],
  APPROVED: ['EXECUTING', 'EXPIRED'],
  EXECUTING: ['SUCCEEDED', 'FAILED', 'ROLLED_BACK', 'PLANNED', 'APPROVED', 'EXPIRED'],
  PLAN_FAILED: [],
  REJECTED: [],
  SUCCEEDED: [],
  FAILED: [],
  ROLLED_BACK: [],
  EXPIRED: [],
};

/** True when the state machine allows `from` -> `to`. */
export function canTransition(from: DeploymentStatus, to: DeploymentStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Plans that may still be approved or executed. */
export const OPEN_STATUSES = ['PLANNING', 'PLANNED', 'APPROVAL_PENDING', 'APPROVED'] as const satisfies readonly DeploymentStatus[];

export function isOpen(status: DeploymentStatus): boolean {
  return (OPEN_STATUSES as readonly DeploymentStatus[]).includes(status);
}

/** Where a plan goes once its change set is ready. */
export function readyStatus(approvalsRequired: number): 'PLANNED' | 'APPROVAL_PENDING' {
  return approvalsRequired > 0 ? 'APPROVAL_PENDING' : 'PLANNED';
}

/** Approvals each environment needs by default: prod one, dev and staging none. */
export const DEFAULT_APPROVALS: Record<EnvironmentSlug, number> = { dev: 0, staging: 0, prod: 1 };

/** Who may approve a plan (besides never its author). */
export const APPROVER_ROLES: readonly AppRole[] = ['OPS', 'SECURITY', 'ADMIN'];

export interface ApprovalView {
  approverId: string;
  kind: 'APPROVE' | 'REJECT';
}

/** Throws the reason `actor` may not approve or reject the plan now (403 / 409), or returns. */
export function assertMayDecide(
  actor: Pick<Actor, 'id' | 'roles'>,
  plan: { status: DeploymentStatus; plannedById: string },
  decisions: readonly ApprovalView[],
): void {
  if (!actor.roles.some((r) => APPROVER_ROLES.includes(r))) throw new AppError('FORBIDDEN', 'Only ops, security or an admin may approve a deployment.');
  if (plan.plannedById === actor.id) throw new AppError('FORBIDDEN', 'You planned this deployment: another ops or security user must approve it.');
  if (plan.status !== 'APPROVAL_PENDING') {
    throw new AppError(
      'CONFLICT',
      plan.status === 'PLANNING'
        ? 'The plan is still being prepared.'
        : `The plan is ${plan.status.toLowerCase().replace('_', ' ')}: it does not wait for a decision.`,
    );
  }
  if (decisions.some((d) => d.approverId === actor.id)) throw new AppError('CONFLICT', 'You already decided on this plan.');
}

/** True when the actor could approve or reject the plan now (to show the buttons). */
export function mayDecide(
  actor: Pick<Actor, 'id' | 'roles'>,
  plan: { status: DeploymentStatus; plannedById: string },
  decisions: readonly ApprovalView[],
): boolean {
  try {
    assertMayDecide(actor, plan, decisions);
    return true;
  } catch {
    return false;
  }
}

/** Throws why the plan cannot be executed as it is (409), or returns. Expiry is checked separately. */
export function assertExecutable(plan: { status: DeploymentStatus; approvalsRequired: number }, approvals: number): void {
  switch (plan.status) {
    case 'PLANNED':
    case 'APPROVED':
      return;
    case 'PLANNING':
      throw new AppError('CONFLICT', 'The plan is still being prepared; execute it once its changes are shown.');
    case 'APPROVAL_PENDING':
      throw new AppError(
        'CONFLICT',
        `This plan needs ${plural('en', plan.approvalsRequired, { one: '# approval', other: '# approvals' })} from someone other than its author before it runs (${approvals} so far).`,
      );
    case 'EXECUTING':
      throw new AppError('CONFLICT', 'This plan is already executing.');
    case 'EXPIRED':
      throw new AppError('CONFLICT', 'This plan expired: plan again.');
    case 'REJECTED':
      throw new AppError('CONFLICT', 'This plan was rejected: plan again.');
    case 'PLAN_FAILED':
      throw new AppError('CONFLICT', 'CloudFormation refused this plan: there is nothing to execute.');
    default:
      throw new AppError('CONFLICT', 'This plan already ran: plan again to deploy once more.');
  }
}

/**
 * What a stack "is" for expiry: its last change (or creation). A stack a CREATE change set has
 * just made (REVIEW_IN_PROGRESS) holds nothing yet, so it counts as none.
 */
export function stackVersionOf(stack: StackInfo | null): string {
  if (!stack || stack.status === 'REVIEW_IN_PROGRESS') return 'none';
  return `${stack.status}@${(stack.lastUpdatedAt ?? stack.createdAt).toISOString()}`;
}

export type ExpiryReason = 'AGE' | 'STACK_CHANGED';

/** When an open plan expires by age. */
export function planExpiresAt(plannedAt: Date, ttlMs: number): Date {
  return new Date(plannedAt.getTime() + ttlMs);
}

/** Why a plan can no longer be executed, or null: too old, or the stack changed since it was planned. */
export function expiryReason(plan: { plannedAt: Date; stackVersion: string }, now: Date, ttlMs: number, currentStackVersion?: string): ExpiryReason | null {
  if (now >= planExpiresAt(plan.plannedAt, ttlMs)) return 'AGE';
  if (currentStackVersion !== undefined && currentStackVersion !== plan.stackVersion) return 'STACK_CHANGED';
  return null;
}

/** The message for an expiry. */
export function expiryMessage(reason: ExpiryReason, ttlMs: number): string {
  return reason === 'AGE'
    ? `This plan is older than ${Math.round(ttlMs / 3_600_000)} h and expired: plan again to see what would change now.`
    : 'The stack changed since this plan was made, so its changes are no longer accurate: plan again.';
}

/** Delay before the poll job tries a throttled or failing refresh again: 3 s doubling, at most a minute. */
export function pollBackoffMs(failures: number, baseMs = 3_000): number {
  return Math.min(60_000, baseMs * 2 ** Math.max(0, failures - 1));
}

/**
 * The ClientRequestToken of a deployment's execution: a retried ExecuteChangeSet carries the same
 * one (CloudFormation treats it as the same request), and every stack event of the execution
 * carries it too (docs/decisions/027-forecast-backoff-and-ambiguous-execute.md).
 */
export function executionTokenOf(deploymentId: string): string {
  return `gatehouse-${deploymentId}`;
}

/**
 * An ExecuteChangeSet error after which CloudFormation may have started the execution anyway: a
 * 5xx, a timeout or lost connection (UNAVAILABLE, or no AppError at all), or a conflict such as
 * InvalidChangeSetStatus, which is also what an earlier attempt of ours that did start leaves
 * behind. Throttling, validation errors, a missing change set and denied permissions are answers
 * given before anything ran.
 */
export function isAmbiguousExecuteError(e: unknown): boolean {
  if (!isAppError(e)) return true;
  return e.code === 'UNAVAILABLE' || e.code === 'CONFLICT';
}

/** What CloudFormation says about a change set after an unclear answer to executing it. */
export type ExecutionEvidence = 'started' | 'not-started' | 'cannot-run';

/**
 * Whether a change set was executed, from DescribeChangeSet (null: it is gone) and DescribeStacks:
 * EXECUTE_IN_PROGRESS / _COMPLETE / _FAILED, or the stack's last change set being this one, mean
 * it started; AVAILABLE that it did not and still can; anything else (OBSOLETE, gone) that it
 * never will.
 */
export function executionEvidence(
  changeSet: { executionStatus: string } | null,
  stack: Pick<StackInfo, 'changeSetId'> | null,
  changeSetId: string,
): ExecutionEvidence {
  if (stack?.changeSetId && stack.changeSetId === changeSetId) return 'started';
  if (changeSet && /^EXECUTE_(IN_PROGRESS|COMPLETE|FAILED)$/.test(changeSet.executionStatus)) return 'started';
  if (changeSet?.executionStatus === 'AVAILABLE') return 'not-started';
  return 'cannot-run';
}

/**
 * The events of one execution among the stack's events after its baseline: those carrying its
 * token, and those carrying none (emulators that do not set it). Another operation's events (its
 * own token) are never counted as this execution's.
 */
export function eventsOfExecution<E extends { clientRequestToken?: string | null }>(events: readonly E[], token: string): E[] {
  return events.filter((e) => !e.clientRequestToken || e.clientRequestToken === token);
}
