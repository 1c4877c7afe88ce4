// @vitest-environment happy-dom
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { CatalogSaved } from '@/components/catalog/catalog-form';
import type { ActionResult } from '@/lib/action-result';
import { RuleForm } from '@/components/catalog/rule-form';
import { button, deferred, renderWithI18n, router, t } from '@/components/testing/render';
import type { ApprovalRuleValues } from '@/lib/access/model';

vi.mock('next/navigation', async () => {
  const { router: mocked } = await import('@/components/testing/render');
  return { useRouter: () => mocked };
});

const RULE: ApprovalRuleValues = {
  approvalsRequired: 1,
  approverGroup: 'SECURITY',
  maxDurationMinutes: 480,
  pendingTtlMinutes: 1440,
  breakGlassAllowed: false,
};

function renderRuleForm(action: (form: FormData) => Promise<ActionResult<CatalogSaved>>) {
  return renderWithI18n(<RuleForm requestType="ROLE" environment="PROD" rule={RULE} action={action} />);
}

const input = (label: string) => screen.getByLabelText<HTMLInputElement>(label);

describe('RuleForm (catalog forms: useCatalogForm, Field, FormStatus)', () => {
  it('is labelled by what it edits and starts from the current rule', () => {
    renderRuleForm(vi.fn());
    expect(screen.getByRole('form', { name: t('access.rules.edit', { type: t('access.type.ROLE'), env: t('access.env.PROD') }) })).toBeTruthy();
    expect(input(t('access.rules.approvals')).value).toBe('1');
    expect(screen.getByLabelText<HTMLSelectElement>(t('access.rules.group')).value).toBe('SECURITY');
    expect(input(t('access.rules.ttlMinutes')).value).toBe('1440');
    expect(input(t('access.rules.breakGlassAllowed')).checked).toBe(false);
  });

  it('submits what was typed as form data, disables Save while pending, then says Saved. and refreshes', async () => {
    const answer = deferred<ActionResult<CatalogSaved>>();
    const action = vi.fn((_form: FormData) => answer.promise);
    const { user } = renderRuleForm(action);

    await user.clear(input(t('access.rules.approvals')));
    await user.type(input(t('access.rules.approvals')), '2');
    await user.selectOptions(screen.getByLabelText(t('access.rules.group')), 'SECURITY_AND_TEAM_LEAD');
    await user.click(input(t('access.rules.breakGlassAllowed')));
    await user.click(button(t('access.catalog.save')));

    expect(action).toHaveBeenCalledOnce();
    expect(Object.fromEntries(action.mock.calls[0]![0])).toEqual({
      requestType: 'ROLE',
      environment: 'PROD',
      approvalsRequired: '2',
      approverGroup: 'SECURITY_AND_TEAM_LEAD',
      maxDurationMinutes: '480',
      pendingTtlMinutes: '1440',
      breakGlassAllowed: 'on',
    });
    expect(button(t('access.catalog.save')).disabled).toBe(true);

    answer.resolve({ ok: true, data: { changed: true } });
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe(t('access.catalog.saved')));
    expect(router.refresh).toHaveBeenCalledOnce();
  });

  it.each([
    [{ changed: false }, 'access.catalog.unchanged'],
    [{ changed: true, proposed: true }, 'controlPlane.proposed'],
  ] as const)('answers %o with its own message', async (data, key) => {
    const { user } = renderRuleForm(vi.fn(async () => ({ ok: true as const, data })));
    await user.click(button(t('access.catalog.save')));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe(t(key)));
  });

  it('keeps what was typed on a refusal and shows each field error on its field, tied to it for screen readers', async () => {
    const action = vi.fn(async (): Promise<ActionResult<CatalogSaved>> => ({
      ok: false,
      error: { code: 'VALIDATION', message: 'Check the highlighted fields.', fields: { approvalsRequired: 'At most 3 approvals in prod.' } },
    }));
    const { user } = renderRuleForm(action);

    await user.clear(input(t('access.rules.approvals')));
    await user.type(input(t('access.rules.approvals')), '4');
    await user.click(button(t('access.catalog.save')));

    const approvals = input(t('access.rules.approvals'));
    await waitFor(() => expect(approvals.getAttribute('aria-invalid')).toBe('true'));
    const errorId = approvals.getAttribute('aria-describedby')!;
    expect(document.getElementById(errorId)?.textContent).toBe('At most 3 approvals in prod.');
    expect(approvals.value).toBe('4');
    expect(screen.getByRole('status').textContent).toBe('Check the highlighted fields.');
    expect(input(t('access.rules.ttlMinutes')).getAttribute('aria-invalid')).toBeNull();
    expect(router.refresh).not.toHaveBeenCalled();
  });

  it('checks the form with updateRuleSchema before sending: 9 approvals is refused in place, nothing is sent', async () => {
    const action = vi.fn();
    const { user } = renderRuleForm(action);

    await user.clear(input(t('access.rules.approvals')));
    await user.type(input(t('access.rules.approvals')), '9');
    await user.click(button(t('access.catalog.save')));

    const approvals = input(t('access.rules.approvals'));
    expect(approvals.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(approvals.getAttribute('aria-describedby')!)?.textContent).toMatch(/5/);
    expect(screen.getByRole('status').textContent).toBe(t('forms.invalid'));
    expect(action).not.toHaveBeenCalled();
  });
});
