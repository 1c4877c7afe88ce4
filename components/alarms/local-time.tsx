'use client';

import { useI18n } from '@/components/i18n-provider';
import { useHydrated } from '@/components/alarms/use-clock';

const FORMATS: Record<'short' | 'long' | 'time', Intl.DateTimeFormatOptions> = {
  short: { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
  long: { dateStyle: 'medium', timeStyle: 'medium' },
  time: { hour: '2-digit', minute: '2-digit' },
};

/** A time in the user's language and time zone (rendered once hydrated; the ISO time is in dateTime). */
export function LocalTime({ iso, format = 'long', className }: { iso: string; format?: keyof typeof FORMATS; className?: string }) {
  const { locale } = useI18n();
  const hydrated = useHydrated();
  return (
    <time dateTime={iso} className={className}>
      {hydrated ? formatLocal(iso, locale, format) : ' '}
    </time>
  );
}

/** Formats an ISO time in the browser's time zone. */
export function formatLocal(iso: string, locale: string, format: keyof typeof FORMATS = 'long'): string {
  return new Intl.DateTimeFormat(locale, FORMATS[format]).format(new Date(iso));
}

/** "3 minutes ago" in the user's language. */
export function formatAgo(iso: string, now: number, locale: string): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3_600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(seconds / 3_600), 'hour');
  return rtf.format(Math.round(seconds / 86_400), 'day');
}
