// @vitest-environment happy-dom
import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { DeploymentDecisionForm } from '@/components/deployments/deployment-actions';
import { PlanWarnings } from '@/components/deployments/plan-warnings';
import { button, renderWithI18n, t } from '@/components/testing/render';
import type { ActionResult } from '@/lib/action-result';
import { createTranslator } from '@/lib/i18n/messages';
import type { PlanWarning } from '@/lib/deployments/warnings';

vi.mock('next/navigation', async () => {
  const { router: mocked } = await import('@/components/testing/render');
  return { useRouter: () => mocked };
});

const warnings: PlanWarning[] = [
  { kind: 'STATEFUL_REMOVE', logicalId: 'JobsQueue', resourceType: 'AWS::SQS::Queue', action: 'Remove', before: null, after: null },
  { kind: 'STATEFUL_REPLACE', logicalId: 'DbSecret', resourceType: 'AWS::SecretsManager::Secret', action: 'Modify', before: null, after: 'Conditional' },
  { kind: 'ENGINE_VERSION', logicalId: 'Database', resourceType: 'AWS::RDS::DBInstance', action: 'Modify', before: '16.3', after: '16.4' },
  { kind: 'IAM', logicalId: 'ApiRole', resourceType: 'AWS::IAM::Role', action: 'Modify', before: null, after: null },
];

describe('PlanWarnings', () => {
  it('lists each warning in words, in English and Korean', () => {
    renderWithI18n(<PlanWarnings warnings={warnings} t={t} />);
    const items = screen.getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toEqual([
      'JobsQueue (AWS::SQS::Queue) is deleted, with the data it holds',
      'DbSecret (AWS::SecretsManager::Secret) may be replaced (depends on another change): the old one, with its data, would be deleted',
      'Database (AWS::RDS::DBInstance): engine version 16.3 -> 16.4',
      'IAM change: ApiRole (AWS::IAM::Role) is changed',
    ]);
    const ko = renderWithI18n(<PlanWarnings warnings={warnings.slice(2, 3)} t={createTranslator('ko')} />);
    expect(ko.container.textContent).toContain('Database (AWS::RDS::DBInstance): 엔진 버전 16.3 -> 16.4');
  });

  it('shows nothing without warnings', () => {
    expect(renderWithI18n(<PlanWarnings warnings={[]} t={t} />).container.textContent).toBe('');
  });
});

describe('DeploymentDecisionForm with a typed confirmation', () => {
  it('enables Approve only once the stack name is typed exactly, and sends it', async () => {
    const decide = vi.fn(async (): Promise<ActionResult> => ({ ok: true, data: null }));
    const { user } = renderWithI18n(<DeploymentDecisionForm id="d1" decide={decide} confirmStackName="serverless-prod" />);
    const field = screen.getByLabelText(t('deploy.approvals.confirm', { stack: 'serverless-prod' }));
    expect(button(t('deploy.approvals.approve')).disabled).toBe(true);
    await user.type(field, 'serverless-pro');
    expect(button(t('deploy.approvals.approve')).disabled).toBe(true);
    await user.type(field, 'd ');
    expect(button(t('deploy.approvals.approve')).disabled).toBe(true);
    await user.type(field, '{Backspace}');
    expect(button(t('deploy.approvals.approve')).disabled).toBe(false);
    await user.click(button(t('deploy.approvals.approve')));
    expect(decide).toHaveBeenCalledExactlyOnceWith({ id: 'd1', kind: 'APPROVE', comment: '', confirmStackName: 'serverless-prod' });
  });

  it('shows the server’s refusal', async () => {
    const decide = vi.fn(async (): Promise<ActionResult> => ({
      ok: false,
      error: { code: 'BAD_REQUEST', message: 'type the stack name serverless-prod exactly to approve it.' },
    }));
    const { user } = renderWithI18n(<DeploymentDecisionForm id="d2" decide={decide} confirmStackName="serverless-prod" />);
    await user.type(screen.getByLabelText(t('deploy.approvals.confirm', { stack: 'serverless-prod' })), 'serverless-prod');
    await user.click(button(t('deploy.approvals.approve')));
    expect((await screen.findByRole('alert')).textContent).toBe('type the stack name serverless-prod exactly to approve it.');
  });

  it('asks nothing without it (dev, staging, or no warnings)', async () => {
    const decide = vi.fn(async (): Promise<ActionResult> => ({ ok: true, data: null }));
    const { user } = renderWithI18n(<DeploymentDecisionForm id="d3" decide={decide} />);
    expect(screen.queryByLabelText(/type the stack name/)).toBeNull();
    await user.click(button(t('deploy.approvals.approve')));
    expect(decide).toHaveBeenCalledExactlyOnceWith({ id: 'd3', kind: 'APPROVE', comment: '' });
  });
});
