// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { SetStateForm, type SetStateInput } from '@/components/alarms/set-state-form';
import { button, deferred, renderWithI18n, t } from '@/components/testing/render';
import type { ActionResult } from '@/lib/action-result';
import type { AlarmState } from '@/lib/alarms/model';

vi.mock('next/navigation', async () => {
  const { router: mocked } = await import('@/components/testing/render');
  return { useRouter: () => mocked };
});

function renderForm(current: AlarmState, run: (input: SetStateInput) => Promise<ActionResult>) {
  const queryClient = new QueryClient();
  const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
  const rendered = renderWithI18n(
    <QueryClientProvider client={queryClient}>
      <SetStateForm name="serverless-dev-api-errors" region="eu-central-1" current={current} run={run} />
    </QueryClientProvider>,
  );
  return { ...rendered, invalidate };
}

const stateSelect = () => screen.getByLabelText<HTMLSelectElement>(t('alarms.setState.state'));
const reasonInput = () => screen.getByLabelText<HTMLInputElement>(t('alarms.setState.reason'));

describe('SetStateForm', () => {
  it.each([
    ['ALARM', 'OK'],
    ['OK', 'ALARM'],
    ['INSUFFICIENT_DATA', 'ALARM'],
  ] as const)('starts, for an alarm in %s, on the state that changes something (%s) with the default reason', (current, proposed) => {
    renderForm(current, vi.fn());
    expect(stateSelect().value).toBe(proposed);
    expect(reasonInput().value).toBe(t('alarms.setState.reasonDefault'));
  });

  it('sends the chosen state and reason, shows it is pending, then confirms and makes every view of the alarm ask again', async () => {
    const answer = deferred<ActionResult>();
    const run = vi.fn((_input: SetStateInput) => answer.promise);
    const { user, invalidate } = renderForm('OK', run);

    await user.selectOptions(stateSelect(), 'INSUFFICIENT_DATA');
    await user.clear(reasonInput());
    await user.type(reasonInput(), 'game day');
    await user.click(button(t('alarms.setState.submit')));

    expect(run).toHaveBeenCalledExactlyOnceWith({ name: 'serverless-dev-api-errors', region: 'eu-central-1', state: 'INSUFFICIENT_DATA', reason: 'game day' });
    expect(button(t('alarms.setState.pending')).disabled).toBe(true);

    answer.resolve({ ok: true, data: null });
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe(t('alarms.setState.done', { state: t('alarms.state.INSUFFICIENT_DATA') })));
    expect(invalidate).toHaveBeenCalledOnce();
    expect(button(t('alarms.setState.submit')).disabled).toBe(false);
  });

  it('shows the refusal and leaves the cached views alone', async () => {
    const run = vi.fn(async (): Promise<ActionResult> => ({ ok: false, error: { code: 'CONFLICT', message: 'Only ops and admins set alarm states.' } }));
    const { user, invalidate } = renderForm('OK', run);

    await user.click(button(t('alarms.setState.submit')));

    expect((await screen.findByRole('alert')).textContent).toBe('Only ops and admins set alarm states.');
    expect(screen.queryByRole('status')).toBeNull();
    expect(invalidate).not.toHaveBeenCalled();
  });
});

describe('SetStateForm in one of several accounts', () => {
  it('names the alarm’s account, so the state is set there', async () => {
    const run = vi.fn(async (_input: SetStateInput): Promise<ActionResult> => ({ ok: true, data: null }));
    const { user } = renderWithI18n(
      <QueryClientProvider client={new QueryClient()}>
        <SetStateForm name="serverless-prod-api-errors" region="eu-central-1" account="222222222222" current="OK" run={run} />
      </QueryClientProvider>,
    );
    await user.click(button(t('alarms.setState.submit')));
    expect(run).toHaveBeenCalledExactlyOnceWith({
      name: 'serverless-prod-api-errors',
      region: 'eu-central-1',
      account: '222222222222',
      state: 'ALARM',
      reason: t('alarms.setState.reasonDefault'),
    });
  });
});
