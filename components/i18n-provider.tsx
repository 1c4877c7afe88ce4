'use client';

import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { DEFAULT_TIME_ZONE } from '@/lib/i18n/format';
import type { Locale, Translate } from '@/lib/i18n/messages';
import { translatorFor, type LocaleMessages } from '@/lib/i18n/translate';

const I18nContext = createContext<{ locale: Locale; zone: string; t: Translate } | null>(null);

/**
 * The language, its messages and the time zone the server rendered with, so the browser formats
 * exactly as it did. The messages come from the server (only the reader's language): importing the
 * catalog here would ship both languages in every page's JavaScript (docs/decisions/052-page-weight-budget.md).
 */
export function I18nProvider({
  locale,
  messages,
  zone = DEFAULT_TIME_ZONE,
  children,
}: {
  locale: Locale;
  messages: LocaleMessages;
  zone?: string;
  children: ReactNode;
}) {
  const value = useMemo(() => ({ locale, zone, t: translatorFor(messages, locale) }), [locale, messages, zone]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The current locale, time zone and translator, in client components. */
export function useI18n() {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n needs an I18nProvider above it');
  return value;
}
