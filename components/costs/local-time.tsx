'use client';

import { useSyncExternalStore } from 'react';
import { useI18n } from '@/components/i18n-provider';

const noSubscription = () => () => {};

/**
 * An instant in the viewer's own time zone: the server's text is used for the server render and
 * hydration, then the browser shows it formatted in its zone (no hydration mismatch).
 */
export function LocalTime({ iso, serverText }: { iso: string; serverText: string }) {
  const { locale } = useI18n();
  const inBrowser = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  const text = inBrowser ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)) : serverText;
  return <time dateTime={iso}>{text}</time>;
}
