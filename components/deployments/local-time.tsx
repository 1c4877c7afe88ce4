'use client';

import { useSyncExternalStore } from 'react';
import { useI18n } from '@/components/i18n-provider';

const noSubscription = () => () => {};
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
// The server and the hydrating browser must print the same text: both use UTC, then the browser switches to its zone.
const serverZone = () => 'UTC';

/**
 * A time in the reader's locale and time zone. The server renders it in UTC; once the page is
 * hydrated, the browser's zone replaces it (useSyncExternalStore re-renders with the client value).
 */
export function LocalTime({ iso, withSeconds = true }: { iso: string; withSeconds?: boolean }) {
  const { locale } = useI18n();
  const zone = useSyncExternalStore(noSubscription, browserZone, serverZone);
  const text = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: withSeconds ? 'medium' : 'short', timeZone: zone }).format(new Date(iso));
  return <time dateTime={iso}>{text}</time>;
}
