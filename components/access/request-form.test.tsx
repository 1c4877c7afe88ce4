// @vitest-environment happy-dom
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { RequestForm, type FormCatalog } from '@/components/access/request-form';
import { button, renderWithI18n, router, t } from '@/components/testing/render';
import type { ApprovalRuleValues } from '@/lib/access/model';
import type { Environment } from '@/lib/environments';

vi.mock('next/navigation', async () => {
  const { router: mocked } = await import('@/components/testing/render');
  return { useRouter: () => mocked };
});

const rule = (approvalsRequired: number, breakGlassAllowed: boolean): ApprovalRuleValues => ({
  approvalsRequired,
  approverGroup: approvalsRequired > 1 ? 'SECURITY_AND_TEAM_LEAD' : 'SECURITY',
  maxDurationMinutes: 240,
  pendingTtlMinutes: 1440,
  breakGlassAllowed,
});
const byEnv = (dev: ApprovalRuleValues, prod: ApprovalRuleValues): Record<Environment, ApprovalRuleValues> => ({ DEV: dev, STAGING: dev, PROD: prod });

const CATALOG: FormCatalog = {
  secrets: [
    { id: 's-dev', name: 'dev/payments/api-key', environment: 'DEV', teamName: 'Payments' },
    { id: 's-prod', name: 'prod/payments/db', environment: 'PROD', teamName: 'Payments' },
  ],
  roles: [{ id: 'r-prod', label: 'payments-operator (prod)', environment: 'PROD', description: 'Operate payments' }],
  teams: [
    { id: 't-pay', name: 'Payments', slug: 'payments' },
    { id: 't-search', name: 'Search', slug: 'search' },
  ],
  rules: {
    SECRET_READ: byEnv(rule(1, false), rule(2, true)),
    SECRET_REGISTER: byEnv(rule(1, false), rule(3, false)),
    ROLE: byEnv(rule(1, false), rule(2, true)),
  },
  breakGlass: { maxMinutes: 60, perDay: 2 },
};

const ruleText = (r: ApprovalRuleValues) =>
  t('access.new.ruleText', { approvals: r.approvalsRequired, group: t(`access.group.${r.approverGroup}`), max: '4 h', ttl: '1 d' });
const preview = () => screen.getByTestId('rule-preview').querySelector('p')!.textContent;

describe('RequestForm', () => {
  it('shows the rule that will apply for what is picked, per type and environment', async () => {
    const { user } = renderWithI18n(<RequestForm catalog={CATALOG} action={vi.fn()} />);
    expect(preview()).toBe(t('access.new.pickFirst'));

    await user.selectOptions(screen.getByLabelText(t('access.new.secret')), 's-prod');
    expect(preview()).toBe(ruleText(CATALOG.rules.SECRET_READ.PROD));
    await user.selectOptions(screen.getByLabelText(t('access.new.secret')), 's-dev');
    expect(preview()).toBe(ruleText(CATALOG.rules.SECRET_READ.DEV));

    await user.click(screen.getByRole('radio', { name: t('access.type.ROLE') }));
    expect(screen.queryByLabelText(t('access.new.secret'))).toBeNull();
    expect(preview()).toBe(t('access.new.pickFirst'));
    await user.selectOptions(screen.getByLabelText(t('access.new.role')), 'r-prod');
    expect(preview()).toBe(ruleText(CATALOG.rules.ROLE.PROD));

    await user.click(screen.getByRole('radio', { name: t('access.type.SECRET_REGISTER') }));
    expect(preview()).toBe(ruleText(CATALOG.rules.SECRET_REGISTER.DEV));
    expect(screen.getByText(t('access.new.secretNameHint', { env: 'dev', team: 'payments' }))).toBeTruthy();
    await user.selectOptions(screen.getByLabelText(t('access.new.environment')), 'PROD');
    await user.selectOptions(screen.getByLabelText(t('access.new.team')), 't-search');
    expect(preview()).toBe(ruleText(CATALOG.rules.SECRET_REGISTER.PROD));
    expect(screen.getByText(t('access.new.secretNameHint', { env: 'prod', team: 'search' }))).toBeTruthy();
  });

  it('offers break-glass only where the rule allows it; choosing it asks what is broken, drops "start later" and caps the duration at 60', async () => {
    const { user } = renderWithI18n(<RequestForm catalog={CATALOG} action={vi.fn()} initial={{ type: 'SECRET_READ', secretId: 's-dev' }} />);
    expect(screen.queryByLabelText(t('access.new.breakGlass'))).toBeNull();
    expect(screen.getByLabelText<HTMLInputElement>(t('access.new.duration')).max).toBe('240');

    await user.selectOptions(screen.getByLabelText(t('access.new.secret')), 's-prod');
    await user.click(screen.getByLabelText(t('access.new.breakGlass')));

    expect(screen.getByLabelText(t('access.new.breakGlassReason'))).toBeTruthy();
    expect(screen.queryByLabelText(t('access.new.startsAt'))).toBeNull();
    expect(screen.getByLabelText<HTMLInputElement>(t('access.new.duration')).max).toBe('60');
  });

  it('with break-glass chosen, the rule box states the break-glass rule alone (no "2 approvals, at most 4 h" beside it), from the limits given', async () => {
    const { user } = renderWithI18n(
      <RequestForm
        catalog={{ ...CATALOG, breakGlass: { maxMinutes: 30, perDay: 3 } }}
        action={vi.fn()}
        initial={{ type: 'SECRET_READ', secretId: 's-prod' }}
      />,
    );
    expect(preview()).toBe(ruleText(CATALOG.rules.SECRET_READ.PROD));
    await user.click(screen.getByLabelText(t('access.new.breakGlass')));
    const box = screen.getByTestId('rule-preview').textContent ?? '';
    expect(screen.getByTestId('break-glass-rule').textContent).toBe(t('breakGlassRule.text', { max: '30 min', perDay: 3 }));
    expect(box).not.toContain(ruleText(CATALOG.rules.SECRET_READ.PROD));
    expect(box).not.toMatch(/approval\(s\) from/);
    expect(screen.getAllByText(/at most/)).toHaveLength(1);
    expect(screen.getByLabelText<HTMLInputElement>(t('access.new.duration')).max).toBe('30');
  });

  it('sends the form and opens the new request on success', async () => {
    const action = vi.fn(async (_form: FormData) => ({ ok: true as const, data: { id: 'req-42' } }));
    const { user } = renderWithI18n(<RequestForm catalog={CATALOG} action={action} initial={{ type: 'ROLE', roleId: 'r-prod', extendsRequestId: 'req-7' }} />);

    await user.type(screen.getByLabelText(t('access.new.justification')), 'Incident OPS-9: replay the failed payouts');
    await user.click(button(t('access.new.submit')));

    await waitFor(() => expect(router.push).toHaveBeenCalledExactlyOnceWith('/requests/req-42'));
    const sent = Object.fromEntries(action.mock.calls[0]![0]);
    expect(sent).toMatchObject({
      type: 'ROLE',
      roleId: 'r-prod',
      extendsRequestId: 'req-7',
      justification: 'Incident OPS-9: replay the failed payouts',
      durationMinutes: '60',
    });
    expect(sent).not.toHaveProperty('secretId');
  });

  it('sends the scheduled start as the instant meant in the reader’s zone, with its offset', async () => {
    const action = vi.fn(async (_form: FormData) => ({ ok: true as const, data: { id: 'req-43' } }));
    const { user } = renderWithI18n(<RequestForm catalog={CATALOG} action={action} initial={{ type: 'SECRET_READ', secretId: 's-dev' }} />, 'Europe/Berlin');

    expect(screen.getByText('Entered in Europe/Berlin.')).toBeTruthy();
    await user.type(screen.getByLabelText(t('access.new.justification')), 'Debugging the nightly export');
    const start = screen.getByLabelText<HTMLInputElement>(t('access.new.startsAt'));
    // happy-dom keeps what is set as the value of a datetime-local input, as a browser does.
    start.value = '2026-12-20T10:00';
    await user.click(button(t('access.new.submit')));

    await waitFor(() => expect(action).toHaveBeenCalledOnce());
    const sent = Object.fromEntries(action.mock.calls[0]![0]);
    expect(sent.startsAt).toBe('2026-12-20T10:00:00+01:00');
    expect(new Date(sent.startsAt as string).toISOString()).toBe('2026-12-20T09:00:00.000Z');
  });

  it('shows the message and each field error when the action refuses it, and stays on the form', async () => {
    const action = vi.fn(async () => ({
      ok: false as const,
      error: { code: 'BAD_REQUEST', message: 'Check the highlighted fields.', fields: { durationMinutes: 'At most 240 minutes for this rule.' } },
    }));
    const { user } = renderWithI18n(<RequestForm catalog={CATALOG} action={action} initial={{ type: 'SECRET_READ', secretId: 's-dev' }} />);

    await user.type(screen.getByLabelText(t('access.new.justification')), 'Debugging the nightly export');
    await user.click(button(t('access.new.submit')));

    expect((await screen.findByTestId('form-error')).textContent).toBe('Check the highlighted fields.');
    expect(document.getElementById('durationMinutes-error')?.textContent).toBe('At most 240 minutes for this rule.');
    expect(router.push).not.toHaveBeenCalled();
  });

  it('checks the form with the server’s own schema before sending: a short justification is refused in place and nothing is sent', async () => {
    const action = vi.fn(async (_form: FormData) => ({ ok: true as const, data: { id: 'req-44' } }));
    const { user } = renderWithI18n(<RequestForm catalog={CATALOG} action={action} initial={{ type: 'SECRET_READ', secretId: 's-dev' }} />);

    await user.type(screen.getByLabelText(t('access.new.justification')), 'too short');
    await user.type(screen.getByLabelText(t('access.new.ticket')), 'OPS 12!');
    await user.click(button(t('access.new.submit')));

    expect(action).not.toHaveBeenCalled();
    expect(screen.getByTestId('form-error').textContent).toBe(t('forms.invalid'));
    const justification = screen.getByLabelText(t('access.new.justification'));
    // The messages are createRequestSchema's (lib/access/schemas.ts), tied to their fields.
    expect(document.getElementById('justification-error')?.textContent).toBe('Say why you need it (at least 10 characters).');
    expect(justification.getAttribute('aria-invalid')).toBe('true');
    expect(justification.getAttribute('aria-describedby')).toBe('justification-hint justification-error');
    expect(document.getElementById('ticketRef-error')?.textContent).toBe('Use a ticket key or URL path such as OPS-123.');
    expect(document.getElementById('durationMinutes-error')).toBeNull();
    expect(router.push).not.toHaveBeenCalled();
  });

  it('shows a field’s error when the reader leaves it, before any submit, and clears it once fixed', async () => {
    const action = vi.fn(async (_form: FormData) => ({ ok: true as const, data: { id: 'req-45' } }));
    const { user } = renderWithI18n(<RequestForm catalog={CATALOG} action={action} initial={{ type: 'SECRET_READ', secretId: 's-dev' }} />);
    const duration = screen.getByLabelText<HTMLInputElement>(t('access.new.duration'));

    await user.clear(duration);
    await user.type(duration, '5');
    await user.tab();
    expect(document.getElementById('durationMinutes-error')?.textContent).toBe('The shortest access is 15 minutes.');
    expect(duration.getAttribute('aria-invalid')).toBe('true');
    // Only the field left is judged: the untouched justification shows nothing yet.
    expect(document.getElementById('justification-error')).toBeNull();

    await user.clear(duration);
    await user.type(duration, '30');
    await user.tab();
    expect(document.getElementById('durationMinutes-error')).toBeNull();
    expect(duration.hasAttribute('aria-invalid')).toBe(false);
    expect(action).not.toHaveBeenCalled();
  });

  it('clears a field’s error as soon as it is corrected, while typing', async () => {
    const action = vi.fn(async (_form: FormData) => ({ ok: true as const, data: { id: 'req-46' } }));
    const { user } = renderWithI18n(<RequestForm catalog={CATALOG} action={action} initial={{ type: 'SECRET_READ', secretId: 's-dev' }} />);
    const justification = screen.getByLabelText(t('access.new.justification'));

    await user.type(justification, 'too short');
    await user.click(button(t('access.new.submit')));
    expect(document.getElementById('justification-error')).not.toBeNull();

    await user.type(justification, ' — now long enough');
    expect(document.getElementById('justification-error')).toBeNull();
    expect(justification.hasAttribute('aria-invalid')).toBe(false);
    await user.click(button(t('access.new.submit')));
    await waitFor(() => expect(action).toHaveBeenCalledOnce());
  });
});
