'use client';

import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { DEFAULT_TIME_ZONE } from '@/lib/i18n/format';
import { createTranslator, type Locale, type Translate } from '@/lib/i18n/messages';

const I18nContext = createContext<{ locale: Locale; zone: string; t: Translate } | null>(null);

/** The language and the time zone the server rendered with, so the browser formats exactly as it did. */
export function I18nProvider({ locale, zone = DEFAULT_TIME_ZONE, children }: { locale: Locale; zone?: string; children: ReactNode }) {
  const value = useMemo(() => ({ locale, zone, t: createTranslator(locale) }), [locale, zone]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The current locale, time zone and translator, in client components. */
export function useI18n() {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n needs an I18nProvider above it');
  return value;
}
