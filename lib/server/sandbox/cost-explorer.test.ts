import { describe, expect, it } from 'vitest';
import { buildOverview, overviewQueries } from '@/lib/costs/billed';
import type { CostAndUsage, CostMetric } from '@/lib/costs/ports';
import { createSandboxCostExplorer, SANDBOX_SERVICES } from '@/lib/server/sandbox/cost-explorer';

const NOW = new Date('2026-11-29T12:00:00Z');
const explorer = createSandboxCostExplorer(() => NOW);
const noop = () => {};
const total = (r: CostAndUsage, metric: CostMetric = 'UnblendedCost') =>
  r.periods.reduce((s, p) => s + p.groups.reduce((t, g) => t + (g.amounts[metric] ?? 0), 0), 0);

describe('sandbox Cost Explorer', () => {
  const q = overviewQueries('2026-11-29', 'unblended', {});

  it('answers 13 months of history for every service of the stack, the same way every time', async () => {
    const monthly = await explorer.getCostAndUsage(q.monthly.query, noop);
    expect(monthly.periods.map((p) => p.start)).toEqual([
      '2025-11-01',
      '2025-12-01',
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
      '2026-04-01',
      '2026-05-01',
      '2026-06-01',
      '2026-07-01',
      '2026-08-01',
      '2026-09-01',
      '2026-10-01',
      '2026-11-01',
    ]);
    const names = new Set(monthly.periods.flatMap((p) => p.groups.map((g) => g.keys[0])));
    expect([...names].sort()).toEqual(SANDBOX_SERVICES.map((s) => s.name).sort());
    expect(monthly.periods.at(-1)!.estimated).toBe(true);
    expect(monthly.periods[0]!.estimated).toBe(false);
    expect(await createSandboxCostExplorer(() => NOW).getCostAndUsage(q.monthly.query, noop)).toEqual(monthly);
  });

  it('has a seasonal peak (December above February), growth, and a reservation that separates the two bases', async () => {
    const monthly = await explorer.getCostAndUsage(q.monthly.query, noop);
    const month = (start: string) => ({ periods: monthly.periods.filter((p) => p.start === start) });
    expect(total(month('2025-12-01'))).toBeGreaterThan(total(month('2026-02-01')) * 1.2);
    expect(total(month('2026-10-01'))).toBeGreaterThan(total(month('2026-04-01')));
    // March carries the reservation's upfront fee in unblended cost; amortized spreads it.
    expect(total(month('2026-03-01'), 'UnblendedCost')).toBeGreaterThan(total(month('2026-03-01'), 'AmortizedCost') + 100);
    expect(total(month('2026-04-01'), 'UnblendedCost')).toBeLessThan(total(month('2026-04-01'), 'AmortizedCost'));
  });

  it('groups by the env and team tags with the same total, and filters by tag', async () => {
    // The tag question is daily over the same days as the daily service question (decision 050).
    const bySvc = await explorer.getCostAndUsage(q.daily.query, noop);
    const byTags = await explorer.getCostAndUsage(q.tags.query, noop);
    expect(total(byTags)).toBeCloseTo(total(bySvc), 6);
    const keys = new Set(byTags.periods.flatMap((p) => p.groups.map((g) => g.keys.join('/'))));
    expect(keys.has('prod/payments')).toBe(true);
    expect(keys.has('dev/')).toBe(true); // untagged cost exists, as in real accounts
    const prod = await explorer.getCostAndUsage(overviewQueries('2026-11-29', 'unblended', { env: 'prod' }).tags.query, noop);
    expect(prod.periods.flatMap((p) => p.groups.map((g) => g.keys[0]))).toSatisfy((envs: string[]) => envs.every((e) => e === 'prod'));
    expect(total(prod)).toBeLessThan(total(byTags));
  });

  it('counts large answers as several paid pages, and forecasts with a band that widens', async () => {
    const paid: string[] = [];
    await explorer.getCostAndUsage(q.daily.query, (op) => paid.push(op));
    expect(paid.length).toBeGreaterThan(1); // 59 days × 8 services > one page
    const f = await explorer.getCostForecast(q.forecast.query, noop);
    expect(f.periods.map((p) => p.start)).toEqual(['2026-11-29', '2026-12-01', '2027-01-01', '2027-02-01']);
    for (const p of f.periods) expect(p.lower).toBeLessThan(p.mean);
    const rel = (i: number) => (f.periods[i]!.upper - f.periods[i]!.mean) / f.periods[i]!.mean;
    expect(rel(3)).toBeGreaterThan(rel(1));
  });

  it('feeds the overview: month to date, last month, forecast, movers and breakdowns', async () => {
    const [daily, monthly, tags, forecast] = await Promise.all([
      explorer.getCostAndUsage(q.daily.query, noop),
      explorer.getCostAndUsage(q.monthly.query, noop),
      explorer.getCostAndUsage(q.tags.query, noop),
      explorer.getCostForecast(q.forecast.query, noop),
    ]);
    const o = buildOverview('2026-11-29', 'unblended', daily, monthly, tags, forecast);
    expect(o.daily).toHaveLength(29);
    expect(o.monthly).toHaveLength(13);
    const mtdFromMonthly = monthly.periods.at(-1)!.groups.reduce((s, g) => s + (g.amounts.UnblendedCost ?? 0), 0);
    expect(o.monthToDate).toBeCloseTo(mtdFromMonthly, 6);
    expect(o.forecast!.month.mean).toBeGreaterThan(o.monthToDate);
    expect(o.forecast!.month.lower).toBeLessThan(o.forecast!.month.mean);
    expect(o.forecast!.next.map((n) => n.month)).toEqual(['2026-12', '2027-01', '2027-02']);
    expect(o.byEnv.map((b) => b.key).sort()).toEqual(['dev', 'prod', 'staging']);
    expect(o.byEnv.reduce((s, b) => s + b.thisMonth, 0)).toBeCloseTo(o.monthToDate, 6);
    expect(o.byTeam.map((b) => b.key)).toContain('');
    expect(o.topMovers.length).toBeGreaterThan(0);
    expect(o.services[0]).toBe('NAT Gateway');
  });
});
