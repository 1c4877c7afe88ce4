import { describe, expect, it } from 'vitest';
import { deploymentResult, describeResult } from '@/lib/deployments/result';

const none = { stackStatus: null, failureReason: null, failedResource: null, planError: null };

describe('deploymentResult', () => {
  it.each([
    [{ ...none, status: 'SUCCEEDED', stackStatus: 'UPDATE_COMPLETE' }, 'succeeded'],
    [
      { ...none, status: 'ROLLED_BACK', stackStatus: 'UPDATE_ROLLBACK_COMPLETE', failedResource: 'ApiFunction', failureReason: 'MemorySize too large' },
      'rolled back: ApiFunction: MemorySize too large',
    ],
    [{ ...none, status: 'FAILED', stackStatus: 'UPDATE_ROLLBACK_FAILED', failureReason: 'Role is invalid' }, 'failed: Role is invalid'],
    // No reason known at all: the stack status still says how it ended.
    [{ ...none, status: 'FAILED', stackStatus: 'DELETE_COMPLETE' }, 'failed: DELETE_COMPLETE'],
    [{ ...none, status: 'EXPIRED', planError: 'This plan expired: plan again.' }, 'This plan expired: plan again.'],
    [{ ...none, status: 'APPROVAL_PENDING' }, ''],
    [{ ...none, status: 'EXECUTING', failureReason: 'ApiFunction failed' }, ''],
  ])('%o reads "%s"', (facts, text) => {
    expect(describeResult(deploymentResult(facts))).toBe(text);
  });

  it('keeps the failed resource, the reason and the stack status apart for the page', () => {
    expect(
      deploymentResult({ ...none, status: 'ROLLED_BACK', stackStatus: 'UPDATE_ROLLBACK_COMPLETE', failedResource: 'ApiFunction', failureReason: 'boom' }),
    ).toEqual({ kind: 'ROLLED_BACK', resource: 'ApiFunction', reason: 'boom', stackStatus: 'UPDATE_ROLLBACK_COMPLETE' });
  });
});
