// @vitest-environment happy-dom
import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { PlanForm, type PlanFormParameter } from '@/components/deployments/deployment-actions';
import { codeChangeText } from '@/components/deployments/releases-table';
import { button, renderWithI18n, t } from '@/components/testing/render';
import type { ActionResult } from '@/lib/action-result';
import { artifactKey, type CodeChange } from '@/lib/deployments/releases';
import { createTranslator } from '@/lib/i18n/messages';

vi.mock('next/navigation', async () => {
  const { router: mocked } = await import('@/components/testing/render');
  return { useRouter: () => mocked };
});

// docs/decisions/042-releases.md: the release picked sets ReleaseLabel; the form shows it and never posts it.
describe('the plan form’s release label', () => {
  const parameters: PlanFormParameter[] = [
    { name: 'ReleaseLabel', value: 'initial', allowedValues: null, setByRelease: true, description: null, constraint: null },
    { name: 'VpcCidr', value: '10.20.0.0/16', allowedValues: null, description: null, constraint: null },
  ];
  const releases = [
    { id: 'r-bbbbbbbbbbbb', label: 'r-bbbbbbbbbbbb · newer' },
    { id: 'r-aaaaaaaaaaaa', label: 'r-aaaaaaaaaaaa · older' },
  ];

  it('shows the picked release’s id read-only and posts only the release', async () => {
    const plan = vi.fn(async (): Promise<ActionResult> => ({ ok: true, data: { id: 'd1' } }));
    const { user } = renderWithI18n(<PlanForm environment="dev" label="Plan Dev" parameters={parameters} failOptions={null} releases={releases} plan={plan} />);
    const label = screen.getByLabelText<HTMLInputElement>('ReleaseLabel');
    expect(label.readOnly).toBe(true);
    expect(label.name).toBe('');
    expect(label.value).toBe('r-bbbbbbbbbbbb');
    expect(screen.getByText(t('release.label.setByRelease'))).toBeTruthy();
    // Typing does nothing: the field is read-only.
    await user.type(label, 'mislabelled');
    expect(label.value).toBe('r-bbbbbbbbbbbb');

    await user.selectOptions(screen.getByLabelText(t('deploy.plan.release')), 'r-aaaaaaaaaaaa');
    expect(label.value).toBe('r-aaaaaaaaaaaa');
    await user.click(button('Plan Dev'));
    expect(plan).toHaveBeenCalledExactlyOnceWith({ environment: 'dev', release: 'r-aaaaaaaaaaaa', 'param.VpcCidr': '10.20.0.0/16' });
  });

  it('keeps the other parameters editable', () => {
    renderWithI18n(<PlanForm environment="dev" label="Plan Dev" parameters={parameters} failOptions={null} releases={releases} plan={vi.fn()} />);
    expect(screen.getByLabelText<HTMLInputElement>('VpcCidr').readOnly).toBe(false);
  });
});

describe('a plan’s code diff', () => {
  const a = 'a1'.repeat(32);
  const b = 'b2'.repeat(32);
  const change: CodeChange = {
    name: 'api',
    parameter: 'ApiCodeKey',
    from: { key: artifactKey('api', a), releaseId: 'r-aaaaaaaaaaaa' },
    to: { key: artifactKey('api', b), releaseId: 'r-bbbbbbbbbbbb' },
  };

  it('names each side by release and by the zip’s hash', () => {
    expect(codeChangeText(change, t)).toBe('api: code: release r-aaaaaaaaaaaa (sha256 a1a1a1a1a1a1) -> release r-bbbbbbbbbbbb (sha256 b2b2b2b2b2b2)');
    expect(codeChangeText(change, createTranslator('ko'))).toBe(
      'api: 코드: 릴리스 r-aaaaaaaaaaaa (sha256 a1a1a1a1a1a1) -> 릴리스 r-bbbbbbbbbbbb (sha256 b2b2b2b2b2b2)',
    );
    expect(codeChangeText({ ...change, from: { key: 'api/4f2a91c07e5b3d68.zip', releaseId: null } }, t)).toBe(
      'api: code: api/4f2a91c07e5b3d68.zip (no release) -> release r-bbbbbbbbbbbb (sha256 b2b2b2b2b2b2)',
    );
  });
});
