'use server';

import { cookies } from 'next/headers';
import { z } from 'zod';
import { LOCALES } from '@/lib/i18n/locales';
import { serverAction } from '@/lib/server/http/action';
import { LOCALE_COOKIE } from '@/lib/server/i18n/locale';

const setLocaleSchema = z.enum(LOCALES);

/** Remembers the chosen UI language for a year. */
export const setLocaleAction = serverAction('locale.set', setLocaleSchema, async (locale) => {
  (await cookies()).set(LOCALE_COOKIE, locale, { path: '/', maxAge: 365 * 24 * 3600, sameSite: 'lax', httpOnly: true });
  return locale;
});
