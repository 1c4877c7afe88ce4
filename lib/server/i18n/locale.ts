import 'server-only';
import { cookies, headers } from 'next/headers';
import { DEFAULT_TIME_ZONE, isTimeZone } from '@/lib/i18n/format';
import { TIME_ZONE_COOKIE } from '@/lib/i18n/time-zone-cookie';
import { createTranslator, isLocale, negotiateLocale, type Locale } from '@/lib/i18n/messages';

export const LOCALE_COOKIE = 'gh_locale';

/** The request's UI language: the chosen one (cookie), else the browser's Accept-Language. */
export async function getLocale(): Promise<Locale> {
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (isLocale(chosen)) return chosen;
  return negotiateLocale((await headers()).get('accept-language'));
}

/**
 * The reader's time zone: the one the browser reported or the user chose (cookie, checked against
 * the zones the runtime knows), else UTC until it is known (docs/decisions/048-time-zone-policy.md).
 */
export async function getTimeZone(): Promise<string> {
  const zone = (await cookies()).get(TIME_ZONE_COOKIE)?.value;
  return isTimeZone(zone) ? zone : DEFAULT_TIME_ZONE;
}

/** A translator for the request's language, and the reader's time zone for formatting. */
export async function getTranslator() {
  const [locale, zone] = await Promise.all([getLocale(), getTimeZone()]);
  return { locale, zone, t: createTranslator(locale) };
}
