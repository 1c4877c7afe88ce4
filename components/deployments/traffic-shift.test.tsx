// @vitest-environment happy-dom
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { TrafficShift } from '@/components/deployments/traffic-shift';
import { renderWithI18n, t } from '@/components/testing/render';
import { createTranslator } from '@/lib/i18n/messages';
import type { FunctionTraffic, ShiftDeployment } from '@/lib/deployments/traffic';

const deployment = (over: Partial<ShiftDeployment>): ShiftDeployment => ({
  id: 'd-ABCDEF123',
  status: 'InProgress',
  config: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
  createdAt: '2026-12-07T10:00:00.000Z',
  completedAt: null,
  fromVersion: '3',
  toVersion: '4',
  alarms: [{ name: 'serverless-staging-api-errors', state: 'OK' }],
  rolledBack: false,
  reason: null,
  ...over,
});

const traffic: FunctionTraffic[] = [
  { function: 'api', functionName: 'serverless-staging-api', aliasVersion: '3', newVersion: '4', newVersionPercent: 10, deployment: deployment({}) },
  {
    function: 'worker',
    functionName: 'serverless-staging-worker',
    aliasVersion: '7',
    newVersion: '8',
    newVersionPercent: 0,
    deployment: deployment({
      status: 'Stopped',
      fromVersion: '7',
      toVersion: '8',
      alarms: [{ name: 'serverless-staging-worker-errors', state: 'ALARM' }],
      rolledBack: true,
      reason: 'stopped by alarm serverless-staging-worker-errors',
    }),
  },
  { function: 'notifier', functionName: 'serverless-staging-notifier', aliasVersion: '2', newVersion: null, newVersionPercent: 0, deployment: null },
];

describe('TrafficShift', () => {
  it('shows per function the share on the new version, the versions, the alarms watched with their state and the rollback', () => {
    renderWithI18n(<TrafficShift traffic={traffic} t={t} />);
    expect(screen.getByRole('meter', { name: 'Traffic of api on the new version' }).getAttribute('aria-valuenow')).toBe('10');
    screen.getByText('10 % on the new version');
    screen.getByText('v3 → v4');
    expect(screen.getAllByText('LambdaCanary10Percent5Minutes')).toHaveLength(2);
    const worker = document.querySelector('tr[data-function="worker"]')!;
    expect(worker.getAttribute('data-rolled-back')).toBe('true');
    expect(worker.querySelector('[data-alarm="serverless-staging-worker-errors"]')?.getAttribute('data-alarm-state')).toBe('ALARM');
    expect(screen.getByTestId('shift-rollback-worker').textContent).toBe('Rolled back automatically: stopped by alarm serverless-staging-worker-errors');
    // A function whose code did not change has no shift: its alias stays.
    expect(document.querySelector('tr[data-function="notifier"]')?.textContent).toContain('no new version');
    expect(document.querySelector('tr[data-function="notifier"]')?.textContent).toContain('live → v2');
  });

  it('says there is no shift yet, in English and Korean', () => {
    renderWithI18n(<TrafficShift traffic={null} t={t} />);
    expect(screen.getByTestId('traffic-shift').textContent).toContain('No traffic shift yet');
    const ko = createTranslator('ko');
    expect(ko('deploy.shift.rolledBack', { reason: 'x' })).toBe('자동으로 롤백됨: x');
  });
});
