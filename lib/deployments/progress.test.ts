import { describe, expect, it } from 'vitest';
import type { StackEvent } from '@/lib/deployments/model';
import { isStackBusy, outcomeOfStackStatus, STACK_RESOURCE_TYPE, summarizeExecution } from '@/lib/deployments/progress';

const STACK = 'serverless-dev';
let n = 0;
function ev(logicalId: string, status: string, reason: string | null = null, type = 'AWS::Lambda::Function'): StackEvent {
  n++;
  return {
    eventId: `e${n}`,
    timestamp: new Date(Date.UTC(2026, 10, 29, 10, 0, n)),
    logicalId,
    physicalId: null,
    resourceType: logicalId === STACK ? STACK_RESOURCE_TYPE : type,
    status,
    reason,
  };
}

describe('summarizeExecution', () => {
  it('counts resources done out of the change set and reaches 100 % only when the stack completes', () => {
    const events = [
      ev(STACK, 'UPDATE_IN_PROGRESS', 'User Initiated'),
      ev('A', 'UPDATE_IN_PROGRESS'),
      ev('A', 'UPDATE_COMPLETE'),
      ev('B', 'CREATE_IN_PROGRESS'),
      ev('B', 'CREATE_COMPLETE'),
    ];
    const mid = summarizeExecution(events, { stackName: STACK, total: 3 });
    expect(mid).toMatchObject({ done: 2, total: 3, percent: 66, outcome: null, failure: null, rollbackStartedAt: null, stackStatus: 'UPDATE_IN_PROGRESS' });
    const all = [...events, ev('C', 'DELETE_COMPLETE'), ev(STACK, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS')];
    expect(summarizeExecution(all, { stackName: STACK, total: 3 }).percent).toBe(99);
    const end = summarizeExecution([...all, ev(STACK, 'UPDATE_COMPLETE')], { stackName: STACK, total: 3 });
    expect(end).toMatchObject({ done: 3, percent: 100, outcome: 'SUCCEEDED' });
  });

  it('counts only what the events report, even once the stack succeeded (an emulator that sends only stack events shows 0)', () => {
    const onlyStack = [ev(STACK, 'UPDATE_IN_PROGRESS', 'User Initiated'), ev(STACK, 'UPDATE_COMPLETE')];
    expect(summarizeExecution(onlyStack, { stackName: STACK, total: 155 })).toMatchObject({ done: 0, total: 155, outcome: 'SUCCEEDED' });
    const some = [ev(STACK, 'UPDATE_IN_PROGRESS'), ev('A', 'UPDATE_COMPLETE'), ev(STACK, 'UPDATE_COMPLETE')];
    expect(summarizeExecution(some, { stackName: STACK, total: 3 }).done).toBe(1);
  });

  it('puts the first real failure on top, not the cancellations it caused, and sees the rollback', () => {
    const events = [
      ev(STACK, 'UPDATE_IN_PROGRESS', 'User Initiated'),
      ev('A', 'UPDATE_COMPLETE'),
      ev('B', 'UPDATE_FAILED', 'Resource update cancelled'),
      ev('C', 'UPDATE_FAILED', 'Resource handler returned message: "MemorySize too large"'),
      ev(STACK, 'UPDATE_ROLLBACK_IN_PROGRESS', 'The following resource(s) failed to update: [C].'),
      ev('A', 'UPDATE_COMPLETE'),
      ev(STACK, 'UPDATE_ROLLBACK_COMPLETE'),
    ];
    const s = summarizeExecution(events, { stackName: STACK, total: 3 });
    expect(s.failure).toMatchObject({ logicalId: 'C', reason: 'Resource handler returned message: "MemorySize too large"' });
    expect(s.rollbackStartedAt).toEqual(events[4]!.timestamp);
    // Progress freezes when the rollback starts: the rollback's own completions are not progress.
    expect(s.done).toBe(1);
    expect(s.outcome).toBe('ROLLED_BACK');
    expect(s.percent).toBeLessThan(100);
  });

  it('falls back to the stack event reason when no resource failed', () => {
    const s = summarizeExecution([ev(STACK, 'CREATE_IN_PROGRESS'), ev(STACK, 'ROLLBACK_IN_PROGRESS', 'Stack creation time exceeded')], {
      stackName: STACK,
      total: 5,
    });
    expect(s.failure?.reason).toBe('Stack creation time exceeded');
  });
});

describe('stack statuses', () => {
  it('maps terminal statuses to outcomes and in-progress ones to none', () => {
    expect(outcomeOfStackStatus('CREATE_COMPLETE')).toBe('SUCCEEDED');
    expect(outcomeOfStackStatus('UPDATE_ROLLBACK_COMPLETE')).toBe('ROLLED_BACK');
    expect(outcomeOfStackStatus('ROLLBACK_COMPLETE')).toBe('ROLLED_BACK');
    expect(outcomeOfStackStatus('UPDATE_ROLLBACK_FAILED')).toBe('FAILED');
    expect(outcomeOfStackStatus('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS')).toBeNull();
    expect(isStackBusy('UPDATE_IN_PROGRESS')).toBe(true);
    expect(isStackBusy('REVIEW_IN_PROGRESS')).toBe(false);
    expect(isStackBusy('UPDATE_COMPLETE')).toBe(false);
  });
});
