import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import type { DeploymentStatus, StackInfo } from '@/lib/deployments/model';
import { DEPLOYMENT_STATUSES } from '@/lib/deployments/model';
import { assertExecutable, assertMayDecide, canTransition, expiryReason, mayDecide, pollBackoffMs, readyStatus, stackVersionOf } from '@/lib/deployments/rules';

const author = { id: 'u-author', roles: ['OPS' as const] };
const pending = { status: 'APPROVAL_PENDING' as DeploymentStatus, plannedById: author.id };

function codeOf(run: () => void): string | null {
  try {
    run();
    return null;
  } catch (e) {
    return e instanceof AppError ? e.code : 'other';
  }
}

describe('state machine', () => {
  it('follows PLANNING -> PLANNED | APPROVAL_PENDING -> APPROVED -> EXECUTING -> SUCCEEDED | FAILED | ROLLED_BACK', () => {
    expect(canTransition('PLANNING', 'PLANNED')).toBe(true);
    expect(canTransition('PLANNING', 'APPROVAL_PENDING')).toBe(true);
    expect(canTransition('APPROVAL_PENDING', 'APPROVED')).toBe(true);
    expect(canTransition('APPROVED', 'EXECUTING')).toBe(true);
    expect(canTransition('PLANNED', 'EXECUTING')).toBe(true);
    for (const end of ['SUCCEEDED', 'FAILED', 'ROLLED_BACK'] as const) expect(canTransition('EXECUTING', end)).toBe(true);
  });

  it('never executes a plan that waits for approval, and nothing leaves a final state', () => {
    expect(canTransition('APPROVAL_PENDING', 'EXECUTING')).toBe(false);
    expect(canTransition('PLANNING', 'EXECUTING')).toBe(false);
    for (const end of ['SUCCEEDED', 'FAILED', 'ROLLED_BACK', 'EXPIRED', 'REJECTED', 'PLAN_FAILED'] as const) {
      for (const to of DEPLOYMENT_STATUSES) expect(canTransition(end, to)).toBe(false);
    }
  });

  it('sends a ready plan to approval only when the environment needs one', () => {
    expect(readyStatus(0)).toBe('PLANNED');
    expect(readyStatus(1)).toBe('APPROVAL_PENDING');
  });
});

describe('who may approve', () => {
  it('lets ops, security and admins other than the author decide once', () => {
    for (const role of ['OPS', 'SECURITY', 'ADMIN'] as const) expect(mayDecide({ id: 'u-other', roles: [role] }, pending, [])).toBe(true);
    expect(mayDecide({ id: 'u-eng', roles: ['ENGINEER'] }, pending, [])).toBe(false);
  });

  it('refuses the author (403) even as an admin, a second decision (409) and a plan that does not wait (409)', () => {
    expect(codeOf(() => assertMayDecide({ id: author.id, roles: ['OPS', 'ADMIN'] }, pending, []))).toBe('FORBIDDEN');
    expect(codeOf(() => assertMayDecide({ id: 'u-sec', roles: ['SECURITY'] }, pending, [{ approverId: 'u-sec', kind: 'APPROVE' }]))).toBe('CONFLICT');
    expect(codeOf(() => assertMayDecide({ id: 'u-sec', roles: ['SECURITY'] }, { ...pending, status: 'PLANNED' }, []))).toBe('CONFLICT');
    expect(codeOf(() => assertMayDecide({ id: 'u-eng', roles: ['ENGINEER'] }, pending, []))).toBe('FORBIDDEN');
  });
});

describe('executable', () => {
  it('accepts PLANNED and APPROVED only, saying why otherwise', () => {
    expect(codeOf(() => assertExecutable({ status: 'PLANNED', approvalsRequired: 0 }, 0))).toBeNull();
    expect(codeOf(() => assertExecutable({ status: 'APPROVED', approvalsRequired: 1 }, 1))).toBeNull();
    for (const s of DEPLOYMENT_STATUSES.filter((x) => x !== 'PLANNED' && x !== 'APPROVED')) {
      expect(codeOf(() => assertExecutable({ status: s, approvalsRequired: 1 }, 0))).toBe('CONFLICT');
    }
    expect(() => assertExecutable({ status: 'APPROVAL_PENDING', approvalsRequired: 2 }, 1)).toThrow(
      'needs 2 approvals from someone other than its author before it runs (1 so far)',
    );
  });
});

describe('expiry', () => {
  const plannedAt = new Date('2026-11-29T10:00:00Z');
  const ttl = 24 * 3_600_000;
  const stack: StackInfo = {
    stackId: 'arn',
    stackName: 'serverless-dev',
    status: 'UPDATE_COMPLETE',
    statusReason: null,
    createdAt: new Date('2026-10-01T00:00:00Z'),
    lastUpdatedAt: new Date('2026-11-01T00:00:00Z'),
    outputs: [],
    parameters: {},
    tags: {},
    driftStatus: null,
    lastDriftCheckAt: null,
  };

  it('expires by age at exactly the TTL', () => {
    expect(expiryReason({ plannedAt, stackVersion: 'none' }, new Date(plannedAt.getTime() + ttl - 1), ttl)).toBeNull();
    expect(expiryReason({ plannedAt, stackVersion: 'none' }, new Date(plannedAt.getTime() + ttl), ttl)).toBe('AGE');
  });

  it('expires when the stack changed since the plan', () => {
    const version = stackVersionOf(stack);
    expect(expiryReason({ plannedAt, stackVersion: version }, plannedAt, ttl, version)).toBeNull();
    const later = stackVersionOf({ ...stack, lastUpdatedAt: new Date('2026-11-29T11:00:00Z') });
    expect(expiryReason({ plannedAt, stackVersion: version }, plannedAt, ttl, later)).toBe('STACK_CHANGED');
  });

  it('treats a stack that only holds a CREATE change set as no stack', () => {
    expect(stackVersionOf(null)).toBe('none');
    expect(stackVersionOf({ ...stack, status: 'REVIEW_IN_PROGRESS', lastUpdatedAt: null })).toBe('none');
  });
});

describe('poll backoff', () => {
  it('doubles from the base and stops at a minute', () => {
    expect([1, 2, 3, 4, 10].map((n) => pollBackoffMs(n))).toEqual([3_000, 6_000, 12_000, 24_000, 60_000]);
  });
});

describe('an execution after an unclear answer', () => {
  it('tells an answer given before anything ran from one after which it may have run', async () => {
    const { AppError } = await import('@/lib/errors');
    const { isAmbiguousExecuteError } = await import('@/lib/deployments/rules');
    expect(
      isAmbiguousExecuteError(
        new AppError('UNAVAILABLE', 'CloudFormation ExecuteChangeSet: We encountered an internal error', { awsError: 'InternalFailure' }),
      ),
    ).toBe(true);
    expect(
      isAmbiguousExecuteError(
        new AppError('CONFLICT', 'ExecuteChangeSet: cannot be executed in its current status of [EXECUTE_IN_PROGRESS]', {
          awsError: 'InvalidChangeSetStatusException',
        }),
      ),
    ).toBe(true);
    expect(isAmbiguousExecuteError(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }))).toBe(true);
    for (const code of ['RATE_LIMITED', 'UNPROCESSABLE', 'NOT_FOUND', 'FORBIDDEN'] as const)
      expect(isAmbiguousExecuteError(new AppError(code, 'no'))).toBe(false);
  });

  it('reads whether the change set started from its execution status and the stack', async () => {
    const { executionEvidence } = await import('@/lib/deployments/rules');
    const cs = (executionStatus: string) => ({ executionStatus });
    expect(executionEvidence(cs('EXECUTE_IN_PROGRESS'), null, 'cs-1')).toBe('started');
    expect(executionEvidence(cs('EXECUTE_COMPLETE'), null, 'cs-1')).toBe('started');
    expect(executionEvidence(cs('EXECUTE_FAILED'), null, 'cs-1')).toBe('started');
    expect(executionEvidence(cs('AVAILABLE'), { changeSetId: 'cs-0' }, 'cs-1')).toBe('not-started');
    expect(executionEvidence(cs('OBSOLETE'), null, 'cs-1')).toBe('cannot-run');
    // Gone, but the stack's last change set is this one: it ran.
    expect(executionEvidence(null, { changeSetId: 'cs-1' }, 'cs-1')).toBe('started');
    expect(executionEvidence(null, { changeSetId: null }, 'cs-1')).toBe('cannot-run');
  });

  it("counts this execution's events (its token, or none from an emulator), never another operation's", async () => {
    const { eventsOfExecution, executionTokenOf } = await import('@/lib/deployments/rules');
    const token = executionTokenOf('d1');
    expect(token).toBe('gatehouse-d1');
    const events = [
      { id: 1, clientRequestToken: token },
      { id: 2, clientRequestToken: null },
      { id: 3 },
      { id: 4, clientRequestToken: 'Console-UpdateStack-1' },
      { id: 5, clientRequestToken: 'gatehouse-d2' },
    ];
    expect(eventsOfExecution(events, token).map((e) => e.id)).toEqual([1, 2, 3]);
  });
});
