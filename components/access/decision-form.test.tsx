// @vitest-environment happy-dom
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { CancelButton, DecisionForm } from '@/components/access/decision-form';
import { button, deferred, renderWithI18n, router, t } from '@/components/testing/render';
import type { ActionResult } from '@/lib/action-result';

vi.mock('next/navigation', async () => {
  const { router: mocked } = await import('@/components/testing/render');
  return { useRouter: () => mocked };
});

describe('DecisionForm', () => {
  it('sends the typed comment with APPROVE, disables both buttons while pending, then says it is recorded and refreshes', async () => {
    const answer = deferred<ActionResult>();
    const decide = vi.fn(() => answer.promise);
    const { user } = renderWithI18n(<DecisionForm requestId="req-1" decide={decide} />);

    await user.type(screen.getByLabelText(t('access.decide.comment')), 'looks right');
    await user.click(button(t('access.decide.approve')));

    expect(decide).toHaveBeenCalledExactlyOnceWith({ requestId: 'req-1', kind: 'APPROVE', comment: 'looks right' });
    expect(button(t('access.decide.approve')).disabled).toBe(true);
    expect(button(t('access.decide.reject')).disabled).toBe(true);

    answer.resolve({ ok: true, data: null });
    await screen.findByText(t('access.decide.done'));
    expect(button(t('access.decide.approve')).disabled).toBe(false);
    expect(router.refresh).toHaveBeenCalledOnce();
  });

  it('shows the comment field error of a refused REJECT and does not refresh', async () => {
    const decide = vi.fn(async (): Promise<ActionResult> => ({
      ok: false,
      error: { code: 'BAD_REQUEST', message: 'Check the form.', fields: { comment: 'Say why you reject it.' } },
    }));
    const { user } = renderWithI18n(<DecisionForm requestId="req-2" decide={decide} />);

    await user.click(button(t('access.decide.reject')));

    expect(decide).toHaveBeenCalledExactlyOnceWith({ requestId: 'req-2', kind: 'REJECT', comment: '' });
    expect((await screen.findByRole('alert')).textContent).toBe('Say why you reject it.');
    expect(screen.queryByText(t('access.decide.done'))).toBeNull();
    expect(router.refresh).not.toHaveBeenCalled();
  });
});

describe('CancelButton', () => {
  it('cancels with an empty comment and shows the refusal message', async () => {
    const cancel = vi.fn(async (): Promise<ActionResult> => ({ ok: false, error: { code: 'CONFLICT', message: 'The request was decided meanwhile.' } }));
    const { user } = renderWithI18n(<CancelButton requestId="req-3" cancel={cancel} />);

    await user.click(button(t('access.decide.cancel')));

    expect(cancel).toHaveBeenCalledExactlyOnceWith({ requestId: 'req-3', comment: '' });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('The request was decided meanwhile.'));
    expect(router.refresh).not.toHaveBeenCalled();
  });
});
