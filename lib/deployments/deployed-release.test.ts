import { describe, expect, it } from 'vitest';
import { deployedRelease, type StackInfo } from '@/lib/deployments/model';

const stack = (status: string, parameters: Record<string, string> = {}): StackInfo => ({
  stackId: 'id',
  stackName: 'gatehouse-app-dev',
  status,
  statusReason: null,
  createdAt: new Date(0),
  lastUpdatedAt: null,
  outputs: [],
  parameters,
  tags: {},
  driftStatus: null,
  lastDriftCheckAt: null,
});

describe('deployedRelease', () => {
  it('no stack, or one only in review, is not deployed', () => {
    expect(deployedRelease(null)).toEqual({ deployed: false, release: null });
    expect(deployedRelease(stack('REVIEW_IN_PROGRESS', { ReleaseLabel: 'r1' }))).toEqual({ deployed: false, release: null });
  });

  it('a stack runs the release its ReleaseLabel names', () => {
    expect(deployedRelease(stack('UPDATE_COMPLETE', { ReleaseLabel: 'r2026.10.28' }))).toEqual({ deployed: true, release: 'r2026.10.28' });
    expect(deployedRelease(stack('CREATE_COMPLETE'))).toEqual({ deployed: true, release: null });
  });
});
