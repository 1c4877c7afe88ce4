import { describe, expect, it } from 'vitest';
import { percentOn, shiftRollbackCause, shiftSteps, type FunctionTraffic, type ShiftDeployment } from '@/lib/deployments/traffic';

const deployment = (over: Partial<ShiftDeployment>): ShiftDeployment => ({
  id: 'd-1',
  status: 'Succeeded',
  config: 'CodeDeployDefault.LambdaAllAtOnce',
  createdAt: null,
  completedAt: null,
  fromVersion: '1',
  toVersion: '2',
  alarms: [],
  rolledBack: false,
  reason: null,
  ...over,
});
const fn = (name: string, d: ShiftDeployment | null): FunctionTraffic => ({
  function: 'api',
  functionName: name,
  aliasVersion: '1',
  newVersion: '2',
  newVersionPercent: 0,
  deployment: d,
});

describe('shiftSteps', () => {
  it.each([
    ['CodeDeployDefault.LambdaAllAtOnce', [{ afterMinutes: 0, weight: 1 }]],
    [
      'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      [
        { afterMinutes: 0, weight: 0.1 },
        { afterMinutes: 5, weight: 1 },
      ],
    ],
    [
      'CodeDeployDefault.LambdaCanary10Percent10Minutes',
      [
        { afterMinutes: 0, weight: 0.1 },
        { afterMinutes: 10, weight: 1 },
      ],
    ],
    [
      'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
      [...Array.from({ length: 9 }, (_, i) => ({ afterMinutes: i, weight: Math.round((i + 1) * 10) / 100 })), { afterMinutes: 9, weight: 1 }],
    ],
  ])('%s', (config, steps) => expect(shiftSteps(config)).toEqual(steps));
});

describe('percentOn', () => {
  it('is the weight of the additional version, all that is left on the primary one, 0 elsewhere', () => {
    expect(percentOn('8', { version: '7', weights: { '8': 0.1 } })).toBe(10);
    expect(percentOn('7', { version: '7', weights: { '8': 0.1 } })).toBe(90);
    expect(percentOn('8', { version: '8', weights: {} })).toBe(100);
    expect(percentOn('9', { version: '7', weights: { '8': 0.1 } })).toBe(0);
    expect(percentOn(null, { version: '7', weights: {} })).toBe(0);
  });
});

describe('shiftRollbackCause', () => {
  it('is the shift an alarm stopped, naming the function; else the first stopped one; none when all succeeded', () => {
    const cut = fn('s-api', deployment({ status: 'Stopped', rolledBack: true, reason: 'The stack update failed on WorkerAlias' }));
    const alarmed = fn('s-worker', deployment({ id: 'd-2', status: 'Stopped', rolledBack: true, alarms: [{ name: 's-worker-errors', state: 'ALARM' }] }));
    expect(shiftRollbackCause([cut, alarmed])).toEqual({
      functionName: 's-worker',
      reason: 'Traffic shift of s-worker (CodeDeploy d-2) rolled back: alarm s-worker-errors in ALARM',
    });
    expect(shiftRollbackCause([cut])?.reason).toBe('Traffic shift of s-api (CodeDeploy d-1) rolled back: The stack update failed on WorkerAlias');
    expect(shiftRollbackCause([fn('s-api', deployment({})), fn('s-worker', null)])).toBeNull();
    expect(shiftRollbackCause(null)).toBeNull();
  });
});
