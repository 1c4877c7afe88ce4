import { describe, expect, it } from 'vitest';
import { periodQuery, reportExportQuerySchema, reportPeriodQuerySchema, resolveReportPeriod } from '@/lib/reports/schemas';

const NOW = new Date('2026-12-07T15:30:00Z');

describe('report period', () => {
  it('defaults to the last 30 days, today (UTC) included', () => {
    const r = resolveReportPeriod(reportPeriodQuerySchema.parse({}), NOW);
    expect(r).toEqual({ ok: true, period: { from: new Date('2026-11-08T00:00:00Z'), to: new Date('2026-12-08T00:00:00Z') } });
    if (r.ok) expect(periodQuery(r.period)).toEqual({ from: '2026-11-08', to: '2026-12-07' });
  });

  it('takes whole days, both included, and an empty value as not given', () => {
    expect(resolveReportPeriod(reportPeriodQuerySchema.parse({ from: '2026-11-01', to: '2026-11-30' }), NOW)).toEqual({
      ok: true,
      period: { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') },
    });
    expect(resolveReportPeriod(reportPeriodQuerySchema.parse({ from: '', to: '2026-11-30' }), NOW)).toMatchObject({
      ok: true,
      period: { from: new Date('2026-11-01T00:00:00Z') },
    });
  });

  it('refuses what is not a date, a reversed or too long period, and unknown parameters', () => {
    expect(reportPeriodQuerySchema.safeParse({ from: '2026-02-30' }).success).toBe(false);
    expect(reportPeriodQuerySchema.safeParse({ from: '30 days ago' }).success).toBe(false);
    expect(reportPeriodQuerySchema.safeParse({ days: '30' }).success).toBe(false);
    expect(resolveReportPeriod({ from: '2026-12-01', to: '2026-11-30' }, NOW)).toEqual({ ok: false, field: 'from', message: 'must not be after to' });
    expect(resolveReportPeriod({ from: '2025-01-01', to: '2026-11-30' }, NOW)).toEqual({ ok: false, field: 'from', message: 'the period is at most 367 days' });
  });

  it('exports as JSON unless CSV is asked for', () => {
    expect(reportExportQuerySchema.parse({})).toEqual({ format: 'json' });
    expect(reportExportQuerySchema.parse({ format: 'csv', from: '2026-11-01' })).toEqual({ format: 'csv', from: '2026-11-01' });
    expect(reportExportQuerySchema.safeParse({ format: 'xlsx' }).success).toBe(false);
  });
});
