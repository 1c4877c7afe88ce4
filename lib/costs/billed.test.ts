import { describe, expect, it } from 'vitest';
import { buildOverview, comparedPeriods, monthStart, overviewQueries } from '@/lib/costs/billed';
import type { CostAndUsage } from '@/lib/costs/ports';

const day = (start: string, groups: [string, number, number?][]) => ({
  start,
  end: start,
  estimated: false,
  groups: groups.map(([k, u, a]) => ({ keys: k.split('/'), amounts: { UnblendedCost: u, AmortizedCost: a ?? u } })),
});

describe('overviewQueries', () => {
  it('asks for last month and this month daily, 13 months monthly, and the forecast to three months ahead', () => {
    const q = overviewQueries('2026-01-15', 'amortized', { env: 'prod' });
    expect(q.daily.query).toMatchObject({ start: '2025-12-01', end: '2026-01-16', granularity: 'DAILY', filter: { env: 'prod' } });
    expect(q.monthly.query).toMatchObject({ start: '2025-01-01', end: '2026-01-16', granularity: 'MONTHLY' });
    expect(q.tags.query.groupBy).toEqual([
      { type: 'TAG', key: 'env' },
      { type: 'TAG', key: 'team' },
    ]);
    expect(q.forecast.query).toMatchObject({ start: '2026-01-15', end: '2026-05-01', metric: 'AmortizedCost', predictionIntervalLevel: 80 });
    // Keys name the question, not its dates: yesterday's answer can stand in while today's is fetched.
    expect(q.daily.key).toBe(overviewQueries('2026-01-16', 'amortized', { env: 'prod' }).daily.key);
    expect(q.daily.key).not.toBe(overviewQueries('2026-01-15', 'amortized', {}).daily.key);
  });

  it('asks for env and team per day from the start of last month, so periods can be matched', () => {
    const q = overviewQueries('2026-01-15', 'unblended', {});
    expect(q.tags.query).toMatchObject({ start: '2025-12-01', end: '2026-01-16', granularity: 'DAILY' });
  });

  it('compares month to date with the same days of last month, or all of a shorter last month', () => {
    expect(comparedPeriods('2026-12-07')).toEqual({ current: { from: '2026-12-01', to: '2026-12-07' }, previous: { from: '2026-11-01', to: '2026-11-07' } });
    expect(comparedPeriods('2026-03-31')).toEqual({ current: { from: '2026-03-01', to: '2026-03-31' }, previous: { from: '2026-02-01', to: '2026-02-28' } });
    expect(comparedPeriods('2026-01-01')).toEqual({ current: { from: '2026-01-01', to: '2026-01-01' }, previous: { from: '2025-12-01', to: '2025-12-01' } });
  });

  it('computes month starts across years', () => {
    expect(monthStart('2026-03-31', -13)).toBe('2025-02-01');
    expect(monthStart('2026-12-05', 1)).toBe('2027-01-01');
  });
});

describe('buildOverview', () => {
  // Today is 3 March: compare 1–3 March with 1–3 February.
  const daily: CostAndUsage = {
    periods: [
      day('2026-02-01', [
        ['A', 10],
        ['B', 1],
      ]),
      day('2026-02-02', [
        ['A', 10],
        ['B', 1],
      ]),
      day('2026-02-03', [
        ['A', 10],
        ['B', 1],
      ]),
      day('2026-02-04', [['A', 99]]),
      day('2026-03-01', [
        ['A', 12],
        ['B', 0.5],
      ]),
      day('2026-03-02', [
        ['A', 12],
        ['B', 0.5],
      ]),
      day('2026-03-03', [
        ['A', 6, 4],
        ['C', 2],
      ]),
    ],
  };
  const monthly: CostAndUsage = {
    periods: [
      day('2026-02-01', [
        ['A', 300],
        ['B', 28],
      ]),
      day('2026-03-01', [
        ['A', 30],
        ['B', 1],
        ['C', 2],
      ]),
    ],
  };
  // Daily by env and team: the first three days of February are compared with March's first three.
  const tags: CostAndUsage = {
    periods: [
      day('2026-02-01', [
        ['prod/payments', 10],
        ['dev/', 5],
      ]),
      day('2026-02-02', [['prod/payments', 10]]),
      day('2026-02-20', [
        ['prod/payments', 180],
        ['dev/', 123],
      ]),
      day('2026-03-01', [
        ['prod/payments', 20],
        ['prod/data', 5],
        ['dev/', 3],
      ]),
      day('2026-03-03', [['prod/payments', 5]]),
    ],
  };
  const forecast = {
    total: { mean: 0, lower: 0, upper: 0 },
    periods: [
      { start: '2026-03-03', end: '2026-04-01', mean: 300, lower: 270, upper: 330 },
      { start: '2026-04-01', end: '2026-05-01', mean: 340, lower: 300, upper: 380 },
    ],
  };
  const o = buildOverview('2026-03-03', 'unblended', daily, monthly, tags, forecast);

  it('sums month to date, the same days of last month, and last month', () => {
    expect(o.monthToDate).toBeCloseTo(12 + 0.5 + 12 + 0.5 + 6 + 2, 10);
    expect(o.samePeriodLastMonth).toBeCloseTo(33, 10);
    expect(o.lastMonth).toBe(328);
    expect(o.changeVsSamePeriod).toBeCloseTo((33 - 33) / 33, 10);
  });

  it('adds the forecast of the rest of the month, with its band, and lists the months after', () => {
    expect(o.forecast!.month).toEqual({ mean: 33 + 300, lower: 33 + 270, upper: 33 + 330 });
    expect(o.forecast!.changeVsLastMonth).toBeCloseTo((333 - 328) / 328, 10);
    expect(o.forecast!.next).toEqual([{ month: '2026-04', mean: 340, lower: 300, upper: 380 }]);
  });

  it('ranks top movers by absolute change, breaks down by env and team, and orders services by cost', () => {
    expect(o.topMovers.map((m) => [m.service, m.delta])).toEqual([
      ['C', 2],
      ['B', -2],
    ]);
    expect(o.topMovers[0]!.pct).toBeNull();
    expect(o.services).toEqual(['A', 'C', 'B']);
    // Like with like: 1–3 March against 1–3 February, never against all of February (issue 17, finding 4).
    expect(o.byEnv).toEqual([
      { key: 'prod', thisMonth: 30, samePeriodLastMonth: 20 },
      { key: 'dev', thisMonth: 3, samePeriodLastMonth: 5 },
    ]);
    expect(o.byTeam).toEqual([
      { key: 'payments', thisMonth: 25, samePeriodLastMonth: 20 },
      { key: 'data', thisMonth: 5, samePeriodLastMonth: 0 },
      { key: '', thisMonth: 3, samePeriodLastMonth: 5 },
    ]);
    expect(o.periods).toEqual({ current: { from: '2026-03-01', to: '2026-03-03' }, previous: { from: '2026-02-01', to: '2026-02-03' } });
  });

  it('marks today as a partial day', () => {
    expect(o.daily.map((d) => [d.date, d.partial])).toEqual(o.daily.map((d) => [d.date, d.date === '2026-03-03']));
    expect(o.daily.at(-1)).toMatchObject({ date: '2026-03-03', partial: true });
  });

  it('builds the billed figures without a forecast when it is unavailable', () => {
    const without = buildOverview('2026-03-03', 'unblended', daily, monthly, tags, null);
    expect(without.forecast).toBeNull();
    expect(without.monthToDate).toBe(o.monthToDate);
    expect(without.topMovers).toEqual(o.topMovers);
  });

  it('reads the amortized metric for the amortized basis', () => {
    const a = buildOverview('2026-03-03', 'amortized', daily, monthly, tags, forecast);
    expect(a.monthToDate).toBeCloseTo(o.monthToDate - 2, 10);
  });
});

describe('costOverviewQuerySchema', () => {
  it('treats empty values as no filter, and refuses unknown keys and values', async () => {
    const { costOverviewQuerySchema } = await import('@/lib/costs/schemas');
    expect(costOverviewQuerySchema.parse({ basis: 'amortized', env: '', team: '' })).toEqual({ basis: 'amortized' });
    expect(costOverviewQuerySchema.parse({})).toEqual({ basis: 'unblended' });
    const bad = costOverviewQuerySchema.safeParse({ env: 'qa', team: 'Payments!', extra: '1' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path[0] ?? i.code).sort()).toEqual(['env', 'team', 'unrecognized_keys']);
  });
});
