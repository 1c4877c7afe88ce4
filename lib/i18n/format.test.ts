import { describe, expect, it } from 'vitest';
import {
  formatAge,
  formatDay,
  formatDuration,
  formatInstant,
  formatMinutes,
  formatMoney,
  formatMonth,
  isoToZonedInput,
  isoWithOffset,
  isTimeZone,
  zonedInputToIso,
  zoneLabel,
} from '@/lib/i18n/format';

const WINTER = '2026-12-20T09:00:00Z';
const SUMMER = '2026-07-01T09:05:07Z';

describe('formatInstant', () => {
  it('shows the instant in the zone, labelled with its offset, in both languages', () => {
    expect(formatInstant(WINTER, 'en', 'Europe/Berlin')).toBe('Dec 20, 2026, 10:00 UTC+1');
    expect(formatInstant(WINTER, 'ko', 'Europe/Berlin')).toBe('2026년 12월 20일 10:00 UTC+1');
    expect(formatInstant(WINTER, 'en', 'UTC')).toBe('Dec 20, 2026, 09:00 UTC');
    expect(formatInstant(WINTER, 'ko', 'Asia/Seoul')).toBe('2026년 12월 20일 18:00 UTC+9');
  });
  it('follows daylight saving time', () => {
    expect(formatInstant(SUMMER, 'en', 'Europe/Berlin', 'time')).toBe('11:05 UTC+2');
    expect(formatInstant(SUMMER, 'en', 'America/New_York', 'time', { seconds: true })).toBe('05:05:07 UTC−4');
    expect(formatInstant(WINTER, 'en', 'America/New_York', 'time')).toBe('04:00 UTC−5');
  });
  it('crosses the date line with the zone', () => {
    expect(formatInstant('2026-12-31T23:30:00Z', 'en', 'Asia/Kolkata', 'short')).toBe('Jan 1, 05:00 UTC+5:30');
    expect(formatInstant('2026-12-31T23:30:00Z', 'ko', 'Asia/Kolkata', 'date')).toBe('2027년 1월 1일');
  });
  it('uses a 24-hour clock in both languages (no AM in Korean, no 오전 in English)', () => {
    const ko = formatInstant('2026-12-20T04:23:00Z', 'ko', 'UTC');
    expect(ko).toBe('2026년 12월 20일 04:23 UTC');
    expect(ko).not.toMatch(/AM|오전/);
  });
  it('prints a dash for an invalid time', () => {
    expect(formatInstant('not a time', 'en', 'UTC')).toBe('—');
  });
});

describe('calendar days and months', () => {
  it('names a day without a zone', () => {
    expect(formatDay('2026-12-01', 'en')).toBe('Dec 1, 2026');
    expect(formatDay('2026-12-01', 'ko', { year: false })).toBe('12월 1일');
    expect(formatMonth('2026-11', 'en')).toBe('Nov 2026');
    expect(formatMonth('2026-11', 'ko')).toBe('2026년 11월');
  });
});

describe('zoneLabel and isTimeZone', () => {
  it('labels offsets', () => {
    expect(zoneLabel(new Date(WINTER), 'UTC')).toBe('UTC');
    expect(zoneLabel(new Date(WINTER), 'Asia/Kathmandu')).toBe('UTC+5:45');
  });
  it('accepts known zones only', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('Europe/Berlin; path=/')).toBe(false);
    expect(isTimeZone(42)).toBe(false);
  });
});

describe('formatAge', () => {
  const now = Date.parse(WINTER);
  it('says how long ago, or how long until, in both languages', () => {
    expect(formatAge(now - 3 * 60_000, now, 'en')).toBe('3 min ago');
    expect(formatAge(now - 3 * 60_000, now, 'ko')).toBe('3분 전');
    expect(formatAge(now + 2 * 3_600_000, now, 'en')).toBe('in 2 h');
    expect(formatAge(now - 86_400_000, now, 'en')).toBe('1 day ago');
    expect(formatAge(now - 3 * 86_400_000, now, 'en')).toBe('3 days ago');
    expect(formatAge(now - 3 * 86_400_000, now, 'ko')).toBe('3일 전');
    expect(formatAge(now - 2_000, now, 'ko')).toBe('방금');
  });
});

describe('durations', () => {
  it('shows at most two units', () => {
    expect(formatMinutes(480, 'en')).toBe('8 h');
    expect(formatMinutes(90, 'en')).toBe('1 h 30 min');
    expect(formatMinutes(90, 'ko')).toBe('1시간 30분');
    expect(formatMinutes(3 * 24 * 60, 'ko')).toBe('3일');
    expect(formatDuration(45, 'en')).toBe('45 s');
    expect(formatDuration(0, 'en')).toBe('0 s');
    expect(formatDuration(90_061, 'en')).toBe('1 d 1 h');
  });
});

describe('formatMoney', () => {
  it('formats US dollars in the locale', () => {
    expect(formatMoney(1234.5, 'en')).toBe('$1,234.50');
    expect(formatMoney(1234.5, 'ko')).toBe('US$1,234.50');
    expect(formatMoney(0.000123456, 'en', { significant: 4 })).toBe('$0.0001235');
    expect(formatMoney(1234.5, 'en', { digits: 0 })).toBe('$1,235');
    expect(formatMoney(1_500_000, 'en', { compact: true })).toBe('$1.5M');
  });
});

describe('zoned form input', () => {
  it('reads a datetime-local value in the zone and sends it with the offset', () => {
    expect(zonedInputToIso('2026-12-20T10:00', 'Europe/Berlin')).toBe('2026-12-20T10:00:00+01:00');
    expect(new Date(zonedInputToIso('2026-12-20T10:00', 'Europe/Berlin')!).toISOString()).toBe('2026-12-20T09:00:00.000Z');
    expect(zonedInputToIso('2026-07-01T10:00', 'Europe/Berlin')).toBe('2026-07-01T10:00:00+02:00');
    expect(zonedInputToIso('2026-12-20T10:00', 'UTC')).toBe('2026-12-20T10:00:00+00:00');
  });
  it('moves a time skipped by the spring change forward', () => {
    expect(zonedInputToIso('2026-03-29T02:30', 'Europe/Berlin')).toBe('2026-03-29T03:30:00+02:00');
  });
  it('refuses what is not a datetime-local value', () => {
    expect(zonedInputToIso('2026-12-20', 'UTC')).toBeNull();
    expect(zonedInputToIso('tomorrow', 'UTC')).toBeNull();
    expect(zonedInputToIso('2026-02-30T10:00', 'UTC')).toBeNull();
    expect(zonedInputToIso('2026-12-20T24:00', 'UTC')).toBeNull();
  });
  it('fills a form with the zone’s wall clock', () => {
    expect(isoToZonedInput(WINTER, 'Europe/Berlin')).toBe('2026-12-20T10:00');
    expect(isoWithOffset(WINTER, 'America/New_York')).toBe('2026-12-20T04:00:00-05:00');
  });
});
