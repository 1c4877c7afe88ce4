import * as formatCatalog from '@/lib/i18n/catalog/format';
import type { Locale } from '@/lib/i18n/messages';
import { translatorFrom } from '@/lib/i18n/translate';

type FormatKey = keyof typeof formatCatalog.en;
// Only this module's own strings: it runs in the browser too, where the whole catalog must not be bundled.
const createTranslator = (locale: Locale) => translatorFrom<FormatKey>(formatCatalog[locale], locale);

/**
 * The one formatting module for times, dates, ages, durations and money (docs/decisions/048-time-zone-policy.md).
 *
 * Every time is shown in the reader's zone and labelled with its UTC offset ("10:00 UTC+1"). The text
 * is assembled here from numeric parts and our own catalog rather than by Intl's date styles, so
 * the server (Node's ICU) and the browser (Chromium's ICU) print the same string for the same
 * locale and zone: no hydration mismatch, no "AM 4:23" beside "오전 5:26".
 */

/** The zone used until the browser has told us its own. */
export const DEFAULT_TIME_ZONE = 'UTC';

const partsCache = new Map<string, Intl.DateTimeFormat>();

function partsFormat(zone: string): Intl.DateTimeFormat {
  let f = partsCache.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partsCache.set(zone, f);
  }
  return f;
}

/** True for an IANA zone name this runtime knows (and `UTC`). */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(value)) return false;
  try {
    partsFormat(value);
    return true;
  } catch {
    return false;
  }
}

/** Every zone the runtime knows, UTC first (for the zone picker). */
export function listTimeZones(): string[] {
  return ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(instant: Date, zone: string): WallClock {
  const out: Record<string, number> = {};
  for (const p of partsFormat(zone).formatToParts(instant)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return { year: out.year!, month: out.month!, day: out.day!, hour: out.hour! % 24, minute: out.minute!, second: out.second! };
}

/** The zone's offset from UTC at that instant, in minutes (Europe/Berlin in winter: 60). */
export function zoneOffsetMinutes(instant: Date, zone: string): number {
  const w = wallClock(instant, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The zone's label at that instant: "UTC", "UTC+1", "UTC+5:30", "UTC−3". */
export function zoneLabel(instant: Date, zone: string): string {
  const offset = zoneOffsetMinutes(instant, zone);
  if (offset === 0) return 'UTC';
  const abs = Math.abs(offset);
  const minutes = abs % 60;
  return `UTC${offset < 0 ? '−' : '+'}${Math.floor(abs / 60)}${minutes ? `:${String(minutes).padStart(2, '0')}` : ''}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** How much of an instant to show. */
export type TimeStyle = 'dateTime' | 'short' | 'date' | 'time';

export type Instant = Date | string | number;

const toDate = (value: Instant) => (value instanceof Date ? value : new Date(value));

/**
 * An instant in locale and zone: `dateTime` "Dec 20, 2026, 10:00 UTC+1" / "2026년 12월 20일 10:00 UTC+1",
 * `short` without the year, `time` only the clock, `date` only the day (no zone label).
 */
export function formatInstant(
  value: Instant,
  locale: Locale,
  zone: string,
  style: TimeStyle = 'dateTime',
  options: { seconds?: boolean; /** false: no zone label (chart ticks, whose axis says the zone once) */ label?: boolean } = {},
): string {
  const instant = toDate(value);
  if (Number.isNaN(instant.getTime())) return '—';
  const t = createTranslator(locale);
  const w = wallClock(instant, zone);
  const month = t(`format.month.${w.month}` as FormatKey);
  const clock = `${pad(w.hour)}:${pad(w.minute)}${options.seconds ? `:${pad(w.second)}` : ''}`;
  const zoned = options.label === false ? clock : t('format.zoned', { time: clock, zone: zoneLabel(instant, zone) });
  switch (style) {
    case 'date':
      return t('format.date', { month, day: w.day, year: w.year });
    case 'time':
      return zoned;
    case 'short':
      return t('format.dateTime', { date: t('format.dateShort', { month, day: w.day }), time: zoned });
    default:
      return t('format.dateTime', { date: t('format.date', { month, day: w.day, year: w.year }), time: zoned });
  }
}

/** A calendar day such as a billing day "2026-12-01" (no zone: it names a day, not an instant). */
export function formatDay(day: string, locale: Locale, options: { year?: boolean } = {}): string {
  const [year, month, d] = day.split('-').map(Number);
  const t = createTranslator(locale);
  const monthName = t(`format.month.${month}` as FormatKey);
  return options.year === false ? t('format.dateShort', { month: monthName, day: d! }) : t('format.date', { month: monthName, day: d!, year: year! });
}

/** A calendar month "2026-12" as "Dec 2026" / "2026년 12월". */
export function formatMonth(month: string, locale: Locale): string {
  const [year, m] = month.split('-').map(Number);
  const t = createTranslator(locale);
  return t('format.monthYear', { month: t(`format.month.${m}` as FormatKey), year: year! });
}

/** How long ago (or until) an instant is, from `now`: "3 min ago", "in 2 h", "5일 전". */
export function formatAge(value: Instant, now: number, locale: Locale): string {
  const t = createTranslator(locale);
  const seconds = Math.round((toDate(value).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  const past = seconds <= 0;
  if (abs < 10) return t('format.ago.now');
  const [unit, n] =
    abs < 60
      ? (['seconds', abs] as const)
      : abs < 3_600
        ? (['minutes', Math.round(abs / 60)] as const)
        : abs < 86_400
          ? (['hours', Math.round(abs / 3_600)] as const)
          : (['days', Math.round(abs / 86_400)] as const);
  return t(`${past ? 'format.ago' : 'format.in'}.${unit}` as FormatKey, { n });
}

/** A duration for people, from seconds: "8 h", "1 h 30 min", "3 d", "45 s" / "1시간 30분". Two units at most. */
export function formatDuration(totalSeconds: number, locale: Locale): string {
  const t = createTranslator(locale);
  const s = Math.max(0, Math.round(totalSeconds));
  const units: [FormatKey, number][] = [
    ['format.duration.days', Math.floor(s / 86_400)],
    ['format.duration.hours', Math.floor((s % 86_400) / 3_600)],
    ['format.duration.minutes', Math.floor((s % 3_600) / 60)],
    ['format.duration.seconds', s % 60],
  ];
  const first = units.findIndex(([, n]) => n > 0);
  if (first < 0) return t('format.duration.seconds', { n: 0 });
  const shown = units.slice(first, first + 2).filter(([, n]) => n > 0);
  const parts = shown.map(([key, n]) => t(key, { n }));
  return parts.length === 2 ? t('format.duration.join', { a: parts[0]!, b: parts[1]! }) : parts[0]!;
}

/** A duration given in minutes (grant lengths, rule maxima). */
export function formatMinutes(minutes: number, locale: Locale): string {
  return formatDuration(minutes * 60, locale);
}

/** US dollars in the locale: fixed digits (default 2), `significant` digits, or compact for axes. */
export function formatMoney(amount: number, locale: Locale, options: { digits?: number; significant?: number; compact?: boolean } = {}): string {
  const base: Intl.NumberFormatOptions = { style: 'currency', currency: 'USD' };
  const extra: Intl.NumberFormatOptions = options.compact
    ? { notation: 'compact', maximumFractionDigits: 1 }
    : options.significant
      ? { maximumSignificantDigits: options.significant }
      : { minimumFractionDigits: options.digits ?? 2, maximumFractionDigits: options.digits ?? 2 };
  return new Intl.NumberFormat(locale, { ...base, ...extra }).format(amount);
}

/** A signed share such as "+12.5%" (zero unsigned). */
export function formatPercent(ratio: number, locale: Locale, options: { signed?: boolean } = {}): string {
  const signDisplay = options.signed === false ? 'auto' : 'exceptZero';
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1, signDisplay }).format(ratio);
}

/** A plain number with at most `digits` decimals. */
export function formatNumber(value: number, locale: Locale, digits = 2): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
}

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * A `datetime-local` value ("2026-12-20T10:00") read as a wall-clock time in zone, as ISO with the
 * zone's offset ("2026-12-20T10:00:00+01:00"); null when it is not such a value. A time that a DST
 * change skips is moved forward by the gap, as clocks do.
 */
export function zonedInputToIso(local: string, zone: string): string | null {
  const m = LOCAL_INPUT.exec(local);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(asUtc);
  // Date.UTC rolls "02-30" over into March: refuse what is not a real wall-clock time.
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  // The offset at the guess, then at the corrected instant (right across a DST change).
  const first = asUtc - zoneOffsetMinutes(new Date(asUtc), zone) * 60_000;
  const offset = zoneOffsetMinutes(new Date(first), zone);
  const instant = new Date(asUtc - offset * 60_000);
  return isoWithOffset(instant, zone);
}

/** The instant as ISO 8601 with zone's offset at that instant, to the second. */
export function isoWithOffset(value: Instant, zone: string): string {
  const instant = toDate(value);
  const w = wallClock(instant, zone);
  const offset = zoneOffsetMinutes(instant, zone);
  const abs = Math.abs(offset);
  const sign = offset < 0 ? '-' : '+';
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The instant as a `datetime-local` value in zone ("2026-12-20T10:00"), to fill a form. */
export function isoToZonedInput(value: Instant, zone: string): string {
  return isoWithOffset(value, zone).slice(0, 16);
}

/** A formatter of instants bound to a locale, zone and style, for server-rendered lists and messages. */
export interface InstantFormat {
  format(value: Instant): string;
}

/** Binds formatInstant to a locale and zone: `when.format(date)` as with Intl, but zoned and labelled. */
export function instantFormat(locale: Locale, zone: string, style: TimeStyle = 'dateTime', options: { seconds?: boolean } = {}): InstantFormat {
  return { format: (value) => formatInstant(value, locale, zone, style, options) };
}

/** A number formatter bound to its options, for tables that format many amounts. */
export interface AmountFormat {
  format(value: number): string;
}

/** formatMoney bound to a locale and options: `money.format(12.5)`. */
export function moneyFormat(locale: Locale, options: Parameters<typeof formatMoney>[2] = {}): AmountFormat {
  return { format: (value) => formatMoney(value, locale, options) };
}

/** formatPercent bound to a locale. */
export function percentFormat(locale: Locale): AmountFormat {
  return { format: (value) => formatPercent(value, locale) };
}

/** formatNumber bound to a locale and a number of decimals. */
export function numberFormat(locale: Locale, digits = 2): AmountFormat {
  return { format: (value) => formatNumber(value, locale, digits) };
}
