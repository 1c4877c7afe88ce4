// @vitest-environment happy-dom
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { GrantPanel } from '@/components/access/grant-panel';
import { ReconcileAccounts } from '@/components/grants/reconcile-accounts';
import { t } from '@/components/testing/render';
import type { AccountScan } from '@/lib/grants/reconcile-service';

const dev: AccountScan = {
  key: '111122223333',
  account: { accountId: '111122223333', alias: 'dev' },
  environments: ['DEV', 'STAGING'],
  policyCount: 2,
  error: null,
};
const prod: AccountScan = {
  key: '444455556666',
  account: { accountId: '444455556666', alias: 'prod' },
  environments: ['PROD'],
  policyCount: 0,
  error: 'Could not assume arn:aws:iam::444455556666:role/gatehouse-prod.',
};

describe('ReconcileAccounts', () => {
  it('labels each account scanned, and says which one could not be read', () => {
    render(<ReconcileAccounts accounts={[dev, prod]} t={t} />);
    const rows = within(screen.getByTestId('reconcile-accounts')).getAllByRole('listitem');
    expect(rows.map((r) => r.textContent)).toEqual([
      'dev · 1111222233332 policies; holds dev, staging',
      'prod · 444455556666Not scanned: Could not assume arn:aws:iam::444455556666:role/gatehouse-prod.',
    ]);
    expect(screen.getByRole('alert').textContent).toContain('arn:aws:iam::444455556666:role/gatehouse-prod');
  });

  it('shows nothing for one account that was scanned (the single-account page is unchanged)', () => {
    const { container } = render(<ReconcileAccounts accounts={[{ ...dev, key: 'home', environments: ['DEV', 'STAGING', 'PROD'] }]} t={t} />);
    expect(container.innerHTML).toBe('');
  });
});

describe('GrantPanel', () => {
  const grant = {
    id: 'g1',
    status: 'ACTIVE' as const,
    principalArn: 'arn:aws:iam::111122223333:user/minji.kim',
    policyName: 'gatehouse-grant-g1',
    policyArn: 'arn:aws:iam::444455556666:policy/gatehouse/gatehouse-grant-g1',
    startsAt: new Date('2026-12-07T09:00:00Z'),
    endsAt: new Date('2026-12-07T10:00:00Z'),
    attempts: 1,
    lastError: null,
    nextAttemptAt: new Date('2026-12-07T09:00:00Z'),
    endReason: null,
    endedAt: null,
    endComment: null,
  };
  it('shows the account the grant acts in', () => {
    render(
      <GrantPanel grant={grant} account={{ accountId: '444455556666', alias: 'prod' }} explained={null} actions={null} t={t} when={(d) => d.toISOString()} />,
    );
    expect(screen.getByText('AWS account').nextElementSibling?.textContent).toBe('prod · 444455556666');
  });
  it('leaves the row out when the account id is unknown', () => {
    render(<GrantPanel grant={grant} account={{ accountId: null, alias: null }} explained={null} actions={null} t={t} when={(d) => d.toISOString()} />);
    expect(screen.queryByText('AWS account')).toBeNull();
  });
  it('after give-back says when it was given back, not until when it lasts', () => {
    const ended = { ...grant, status: 'ENDED' as const, endReason: 'GIVEN_BACK', endedAt: new Date('2026-12-07T09:20:00Z') };
    render(<GrantPanel grant={ended} account={null} explained={null} actions={null} t={t} when={(d) => d.toISOString()} />);
    const window = screen.getByTestId('grant-window').textContent ?? '';
    expect(window).toContain('Given back at 2026-12-07T09:20:00.000Z');
    expect(window).not.toContain('2026-12-07T10:00:00.000Z');
  });
  it('while the removal runs, says it is given back and being removed', () => {
    render(
      <GrantPanel
        grant={{ ...grant, status: 'ENDING', endReason: 'GIVEN_BACK' }}
        account={null}
        explained={null}
        actions={null}
        t={t}
        when={(d) => d.toISOString()}
      />,
    );
    expect(screen.getByTestId('grant-window').textContent).toContain('Given back: Gatehouse is removing the policy from AWS.');
  });
});
