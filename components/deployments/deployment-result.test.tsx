// @vitest-environment happy-dom
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DeploymentResultCell } from '@/components/deployments/deployment-result';
import { renderWithI18n, t } from '@/components/testing/render';
import { deploymentResult } from '@/lib/deployments/result';

const none = { stackStatus: null, failureReason: null, failedResource: null, planError: null };

describe('DeploymentResultCell', () => {
  it('says a deployment succeeded', () => {
    renderWithI18n(<DeploymentResultCell result={deploymentResult({ ...none, status: 'SUCCEEDED', stackStatus: 'CREATE_COMPLETE' })} t={t} />);
    const cell = screen.getByTestId('deployment-result');
    expect(cell.getAttribute('data-result')).toBe('SUCCEEDED');
    expect(cell.textContent).toBe('Succeeded');
  });

  it('says it was rolled back, with the resource that failed and CloudFormation’s reason', () => {
    renderWithI18n(
      <DeploymentResultCell
        result={deploymentResult({
          ...none,
          status: 'ROLLED_BACK',
          stackStatus: 'UPDATE_ROLLBACK_COMPLETE',
          failedResource: 'ApiFunction',
          failureReason: 'Resource handler returned message: "MemorySize too large"',
        })}
        t={t}
      />,
    );
    const cell = screen.getByTestId('deployment-result');
    expect(cell.getAttribute('data-result')).toBe('ROLLED_BACK');
    expect(cell.textContent).toBe('Rolled backApiFunction: Resource handler returned message: "MemorySize too large"');
  });

  it('says it failed, with the stack status when CloudFormation gave no reason', () => {
    renderWithI18n(<DeploymentResultCell result={deploymentResult({ ...none, status: 'FAILED', stackStatus: 'UPDATE_ROLLBACK_FAILED' })} t={t} />);
    expect(screen.getByTestId('deployment-result').textContent).toBe('FailedUPDATE_ROLLBACK_FAILED');
  });

  it('shows why a plan never ran, and a dash while a deployment is open', () => {
    renderWithI18n(<DeploymentResultCell result={deploymentResult({ ...none, status: 'EXPIRED', planError: 'This plan expired: plan again.' })} t={t} />);
    expect(screen.getByTestId('deployment-result').textContent).toBe('This plan expired: plan again.');
    const open = renderWithI18n(<DeploymentResultCell result={deploymentResult({ ...none, status: 'PLANNED' })} t={t} />);
    expect(open.container.textContent).toBe('—');
  });
});
