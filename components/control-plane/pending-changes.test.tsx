// @vitest-environment happy-dom
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { PendingChanges } from '@/components/control-plane/pending-changes';
import { renderWithI18n, router, t } from '@/components/testing/render';
import type { ActionResult } from '@/lib/action-result';
import type { PendingChangeView } from '@/lib/control-plane/describe';

vi.mock('next/navigation', async () => {
  const { router: mocked } = await import('@/components/testing/render');
  return { useRouter: () => mocked };
});

const change = (over: Partial<PendingChangeView>): PendingChangeView => ({
  id: 'c1',
  kind: 'APPROVAL_RULE',
  targetLabel: 'ROLE / PROD',
  isNew: false,
  authorName: 'Lucas Admin',
  createdAt: '2026-12-01T09:30:00.000Z',
  own: false,
  lines: [{ field: 'approvalsRequired', from: '1', to: '2' }],
  ...over,
});

const row = (id: string) => document.querySelector<HTMLElement>(`tr[data-change-id="${id}"]`)!;

describe('PendingChanges', () => {
  it('says that nothing waits when the list is empty', () => {
    renderWithI18n(<PendingChanges changes={[]} decide={vi.fn()} />);
    expect(screen.getByText(t('controlPlane.pending.none'))).toBeTruthy();
    expect(screen.queryByTestId('pending-changes')).toBeNull();
  });

  it("lists each change with what it changes; another's change gets approve and reject, one's own only withdraw", () => {
    renderWithI18n(
      <PendingChanges
        changes={[
          change({}),
          change({ id: 'c2', own: true, isNew: true, kind: 'CATALOG_SECRET', targetLabel: 'payments-db', lines: [{ field: 'arn', from: null, to: 'arn:x' }] }),
        ]}
        decide={vi.fn()}
      />,
    );

    const other = within(row('c1'));
    expect(other.getByText(t('controlPlane.kind.APPROVAL_RULE'))).toBeTruthy();
    expect(other.getByText('approvalsRequired: 1 → 2')).toBeTruthy();
    expect(other.getByText('Dec 1, 2026, 09:30 UTC')).toBeTruthy();
    expect(other.getByRole('button', { name: t('controlPlane.approve') })).toBeTruthy();
    expect(other.getByRole('button', { name: t('controlPlane.reject') })).toBeTruthy();
    expect(other.queryByRole('button', { name: t('controlPlane.withdraw') })).toBeNull();
    expect(other.queryByTestId('own-change-note')).toBeNull();

    const own = within(row('c2'));
    expect(own.getByText(t('controlPlane.new'))).toBeTruthy();
    expect(own.getByText('arn: arn:x')).toBeTruthy();
    expect(own.getByRole('button', { name: t('controlPlane.withdraw') })).toBeTruthy();
    expect(own.queryByRole('button', { name: t('controlPlane.approve') })).toBeNull();
    expect(own.getByTestId('own-change-note').textContent).toBe(t('controlPlane.own'));
  });

  it("sends the row's own comment with the decision and reloads the list after a success", async () => {
    const decide = vi.fn(async (): Promise<ActionResult> => ({ ok: true, data: null }));
    const { user } = renderWithI18n(<PendingChanges changes={[change({}), change({ id: 'c2', targetLabel: 'other' })]} decide={decide} />);

    await user.type(within(row('c2')).getByLabelText(t('controlPlane.comment')), 'not this one');
    await user.type(within(row('c1')).getByLabelText(t('controlPlane.comment')), 'fine by me');
    await user.click(within(row('c1')).getByRole('button', { name: t('controlPlane.approve') }));

    expect(decide).toHaveBeenCalledExactlyOnceWith({ changeId: 'c1', decision: 'APPROVE', comment: 'fine by me' });
    await waitFor(() => expect(router.refresh).toHaveBeenCalledOnce());
  });

  it('shows a refusal in its row and still reloads (the change may have been decided meanwhile)', async () => {
    const decide = vi.fn(async (): Promise<ActionResult> => ({ ok: false, error: { code: 'CONFLICT', message: 'This change was decided meanwhile.' } }));
    const { user } = renderWithI18n(<PendingChanges changes={[change({ own: true })]} decide={decide} />);

    await user.click(screen.getByRole('button', { name: t('controlPlane.withdraw') }));

    expect(decide).toHaveBeenCalledExactlyOnceWith({ changeId: 'c1', decision: 'WITHDRAW', comment: '' });
    expect((await within(row('c1')).findByRole('alert')).textContent).toBe('This change was decided meanwhile.');
    expect(router.refresh).toHaveBeenCalledOnce();
  });
});
