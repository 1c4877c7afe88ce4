// @vitest-environment happy-dom
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CostFigures } from '@/components/costs/cost-figures';
import { renderWithI18n, t } from '@/components/testing/render';
import type { CostOverview } from '@/lib/costs/billed';

const OVERVIEW: CostOverview = {
  basis: 'unblended',
  today: '2026-11-20',
  services: [],
  monthToDate: 45,
  samePeriodLastMonth: 0,
  lastMonth: 0,
  changeVsSamePeriod: null,
  periods: { current: { from: '2026-11-01', to: '2026-11-20' }, previous: { from: '2026-10-01', to: '2026-10-20' } },
  forecast: null,
  daily: [],
  monthly: [],
  byEnv: [
    { key: 'prod', thisMonth: 40, samePeriodLastMonth: 0 },
    { key: 'dev+staging', thisMonth: 5, samePeriodLastMonth: 0 },
  ],
  byTeam: [],
  topMovers: [],
};

describe('CostFigures across accounts', () => {
  it('names the account beside each environment’s cost (an account shared by environments once)', () => {
    renderWithI18n(
      <CostFigures
        overview={OVERVIEW}
        t={t}
        locale="en"
        accounts={[
          { accountId: '111111111111', alias: 'nonprod', environments: ['dev', 'staging'] },
          { accountId: '333333333333', alias: 'prod', environments: ['prod'] },
        ]}
      />,
    );
    const rows = within(screen.getByTestId('by-env')).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.querySelector('[data-testid="aws-account"]')?.textContent)).toEqual(['prod · 333333333333', 'nonprod · 111111111111']);
  });

  it('names no account when costs come from the portal’s own account', () => {
    renderWithI18n(<CostFigures overview={OVERVIEW} t={t} locale="en" />);
    expect(within(screen.getByTestId('by-env')).queryAllByTestId('aws-account')).toEqual([]);
  });
});

describe('CostFigures periods', () => {
  it('labels the compared periods and marks today as a partial day', () => {
    renderWithI18n(
      <CostFigures
        overview={{
          ...OVERVIEW,
          byEnv: [{ key: 'prod', thisMonth: 40, samePeriodLastMonth: 50 }],
          daily: [
            { date: '2026-11-19', estimated: true, partial: false, values: {} },
            { date: '2026-11-20', estimated: true, partial: true, values: {} },
          ],
        }}
        t={t}
        locale="en"
      />,
    );
    expect(screen.getByTestId('by-env-periods').textContent).toBe('Month to date (Nov 1 – Nov 20) against the same days of last month (Oct 1 – Oct 20).');
    const headers = within(screen.getByTestId('by-env'))
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers).toEqual(['By environment', 'Month to date', 'Same days last month']);
    expect(within(screen.getByTestId('by-env')).getAllByRole('row')[1]!.textContent).toContain('(-20%)');
    expect(screen.getByTestId('partial-day').textContent).toBe('Today (Nov 20) is a partial day: its cost is still coming in.');
  });
});
