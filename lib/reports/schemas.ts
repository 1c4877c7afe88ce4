import { z } from 'zod';
import { REPORT_NAMES, type ReportPeriod } from '@/lib/reports/model';

const DAY_MS = 24 * 3600_000;
/** The default period: the last 30 days, today (UTC) included. */
export const DEFAULT_PERIOD_DAYS = 30;
/** The longest period a report covers: a year and a day (a leap year's whole year, with its end day). */
export const MAX_PERIOD_DAYS = 367;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'is not a calendar date');

/** The period of the reports page, read from the URL: `from` and `to` are whole UTC days, both included. */
export const reportPeriodQuerySchema = z.preprocess(
  // A GET form sends "from=" for "the default": an empty value means not given.
  (raw) => (raw && typeof raw === 'object' ? Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== '')) : raw),
  z.object({ from: day.optional(), to: day.optional() }).strict(),
);
export type ReportPeriodQuery = z.output<typeof reportPeriodQuerySchema>;

/** One report's export: its period, and CSV (a download) or JSON. */
export const reportExportQuerySchema = z.preprocess(
  (raw) => (raw && typeof raw === 'object' ? Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== '')) : raw),
  z.object({ from: day.optional(), to: day.optional(), format: z.enum(['csv', 'json'], { message: 'must be csv or json' }).default('json') }).strict(),
);

/** A report's name in its URL. */
export const reportNameSchema = z.enum(REPORT_NAMES, { message: `must be one of ${REPORT_NAMES.join(', ')}` });

const utcDay = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

/**
 * The instants a query's days cover: [from 00:00 UTC, the day after `to` 00:00 UTC). Unset, `to`
 * is today and `from` 29 days before it (30 days). A `from` after `to`, or a period longer than
 * MAX_PERIOD_DAYS, is a problem named by its parameter; the page and the API show it as it is.
 */
export function resolveReportPeriod(
  query: ReportPeriodQuery,
  now: Date,
): { ok: true; period: ReportPeriod } | { ok: false; field: 'from' | 'to'; message: string } {
  const toDay = query.to ? new Date(`${query.to}T00:00:00Z`) : utcDay(now);
  const fromDay = query.from ? new Date(`${query.from}T00:00:00Z`) : new Date(toDay.getTime() - (DEFAULT_PERIOD_DAYS - 1) * DAY_MS);
  if (fromDay > toDay) return { ok: false, field: 'from', message: 'must not be after to' };
  const days = Math.round((toDay.getTime() - fromDay.getTime()) / DAY_MS) + 1;
  if (days > MAX_PERIOD_DAYS) return { ok: false, field: query.from ? 'from' : 'to', message: `the period is at most ${MAX_PERIOD_DAYS} days` };
  return { ok: true, period: { from: fromDay, to: new Date(toDay.getTime() + DAY_MS) } };
}

/** The period as the query spells it (YYYY-MM-DD, both days included): for links and file names. */
export function periodQuery(period: ReportPeriod): { from: string; to: string } {
  return { from: period.from.toISOString().slice(0, 10), to: new Date(period.to.getTime() - DAY_MS).toISOString().slice(0, 10) };
}
