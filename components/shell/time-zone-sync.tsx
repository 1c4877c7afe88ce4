'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { browserTimeZone, isTimeZonePinned, rememberTimeZone } from '@/components/time-zone';
import { isTimeZone } from '@/lib/i18n/format';

/**
 * Tells the server the browser's zone: on the first visit (the page was rendered in UTC) or after
 * the browser's zone changed, it stores the zone in the cookie and renders the page again. A zone
 * the user chose in the menu is left alone.
 */
// Once per page load: a zone the server does not accept must not make the page refresh forever.
let reported = false;

export function TimeZoneSync() {
  const { zone } = useI18n();
  const router = useRouter();
  useEffect(() => {
    const browser = browserTimeZone();
    if (reported || browser === zone || !isTimeZone(browser) || isTimeZonePinned()) return;
    reported = true;
    rememberTimeZone(browser, false);
    router.refresh();
  }, [zone, router]);
  return null;
}
