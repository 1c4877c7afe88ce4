// @vitest-environment happy-dom
import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { GrantsReport } from '@/components/reports/grants-report';
import { renderWithI18n, router, t } from '@/components/testing/render';
import type { GrantWithUsage } from '@/lib/reports/model';

vi.mock('next/navigation', async () => {
  const { router: r } = await import('@/components/testing/render');
  return { useRouter: () => r };
});
// The chart is drawn in a browser (recharts); here only the tables and the alerts matter.
vi.mock('next/dynamic', () => ({ default: () => () => null }));

const NOW = new Date('2026-12-07T12:00:00Z');
const base: Omit<GrantWithUsage, 'id' | 'usage'> = {
  environment: 'PROD',
  kind: 'SECRET_READ',
  userName: 'Minji Kim',
  teamName: 'Payments',
  principalArn: 'arn:aws:iam::1:user/minji.kim',
  resourceArn: 'arn:aws:secretsmanager:eu-central-1:1:secret:prod/payments/stripe-api-key-AbCdEf',
  startsAt: new Date('2026-12-06T09:00:00Z'),
  endsAt: new Date('2026-12-06T11:00:00Z'),
  endedAt: new Date('2026-12-06T09:30:00Z'),
  endReason: 'GIVEN_BACK',
  givenBackEarly: true,
};

describe('GrantsReport', () => {
  it('says where CloudTrail could not be asked and shows those grants as unknown, not never used', () => {
    renderWithI18n(
      <GrantsReport
        t={t}
        csv="/api/v1/reports/grants?format=csv"
        now={NOW}
        simulate={null}
        report={{
          grants: [
            { ...base, id: 'g1', usage: { status: 'unknown', reason: 'access-denied' } },
            { ...base, id: 'g2', environment: 'DEV', givenBackEarly: false, endReason: 'EXPIRED', endedAt: base.endsAt, usage: { status: 'unused' } },
          ],
          omitted: 3,
          unavailable: [{ environment: 'PROD', reason: 'access-denied' }],
        }}
      />,
    );
    expect(screen.getByRole('alert')?.textContent).toContain(
      'CloudTrail could not be asked in prod: access denied (the portal’s role needs cloudtrail:LookupEvents). Usage there is shown as unknown, not as never used.',
    );
    const [prod, dev] = screen.getAllByTestId('usage');
    expect(prod?.textContent).toContain('Unknown: access denied');
    expect(dev?.textContent).toContain('Never used');
    const given = screen.getAllByTestId('given-back');
    expect(given[0]?.textContent).toContain('Given back 90 min early');
    expect(given[1]?.textContent).toContain('—');
    expect(screen.getByTestId('grants-summary')?.textContent).toContain('2 grants · given back early: 1 · used: 0 · never used: 1 · unknown: 1');
    expect(screen.getByText('3 older grants of the period are not listed.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Simulate use' })).toBeNull();
    expect(screen.getByTestId('csv-grants').getAttribute('href')).toBe('/api/v1/reports/grants?format=csv');
  });

  it('offers the sandbox control on never-used grants only, and calls it with the grant', async () => {
    const simulate = vi.fn(async () => ({ ok: true as const, data: {} }));
    const { user } = renderWithI18n(
      <GrantsReport
        t={t}
        csv="/x"
        now={NOW}
        simulate={simulate}
        report={{
          grants: [
            { ...base, id: 'used', usage: { status: 'used', usedAt: new Date('2026-12-06T09:10:00Z'), eventName: 'GetSecretValue' } },
            { ...base, id: 'active', endedAt: null, endReason: null, endsAt: new Date('2026-12-07T13:00:00Z'), usage: { status: 'unused' } },
          ],
          omitted: 0,
          unavailable: [],
        }}
      />,
    );
    expect(screen.queryByRole('alert')).toBeNull();
    const rows = screen.getAllByTestId('usage');
    expect(rows[0]?.textContent).toContain('Used (GetSecretValue)');
    expect(rows[1]?.textContent).toContain('Not used so far');
    expect(within(rows[0]!).queryByRole('button')).toBeNull();
    await user.click(within(rows[1]!).getByRole('button', { name: 'Simulate use' }));
    expect(simulate).toHaveBeenCalledWith({ grantId: 'active' });
    expect(router.refresh).toHaveBeenCalled();
  });
});
