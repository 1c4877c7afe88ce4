import { TIME_ZONE_COOKIE, TIME_ZONE_PINNED_COOKIE } from '@/lib/i18n/time-zone-cookie';

const YEAR = 365 * 24 * 3600;

/** The zone the browser runs in. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** True when the user chose a zone in the menu (the browser's zone then no longer replaces it). */
export function isTimeZonePinned(): boolean {
  return document.cookie.split('; ').some((c) => c === `${TIME_ZONE_PINNED_COOKIE}=1`);
}

/**
 * Remembers the zone for the server's renders (read back and validated in lib/server/i18n/locale.ts);
 * `pinned` when the user chose it. Not httpOnly: the browser writes it, and it holds nothing secret.
 */
export function rememberTimeZone(zone: string, pinned: boolean) {
  // IANA names hold only cookie-safe characters (checked by isTimeZone before this is called).
  document.cookie = `${TIME_ZONE_COOKIE}=${zone}; path=/; max-age=${YEAR}; samesite=lax`;
  document.cookie = pinned
    ? `${TIME_ZONE_PINNED_COOKIE}=1; path=/; max-age=${YEAR}; samesite=lax`
    : `${TIME_ZONE_PINNED_COOKIE}=; path=/; max-age=0; samesite=lax`;
}
