'use client';

import { useI18n } from '@/components/i18n-provider';
import { formatInstant, type Instant, type TimeStyle } from '@/lib/i18n/format';

/**
 * The one way to show an instant: in the reader's zone and language, labelled with the zone's
 * offset ("Dec 20, 2026, 10:00 UTC+1"). The zone comes from the cookie the server rendered with, so
 * the server's HTML and the hydrated page print the same text (docs/decisions/048-time-zone-policy.md).
 */
export function Time({ value, style = 'dateTime', seconds, className }: { value: Instant; style?: TimeStyle; seconds?: boolean; className?: string }) {
  const { locale, zone } = useI18n();
  const date = value instanceof Date ? value : new Date(value);
  const valid = !Number.isNaN(date.getTime());
  return (
    <time dateTime={valid ? date.toISOString() : undefined} title={zone} className={className}>
      {formatInstant(date, locale, zone, style, { seconds })}
    </time>
  );
}
