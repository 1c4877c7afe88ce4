import 'server-only';
import { cookies, headers } from 'next/headers';
import { createTranslator, isLocale, negotiateLocale, type Locale } from '@/lib/i18n/messages';

export const LOCALE_COOKIE = 'gh_locale';

/** The request's UI language: the chosen one (cookie), else the browser's Accept-Language. */
export async function getLocale(): Promise<Locale> {
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (isLocale(chosen)) return chosen;
  return negotiateLocale((await headers()).get('accept-language'));
}

/** A translator for the request's language. */
export async function getTranslator() {
  const locale = await getLocale();
  return { locale, t: createTranslator(locale) };
}
