'use client';

import { createContext, use, useContext, useMemo, type ReactNode } from 'react';
import { fetchJson } from '@/components/fetch-json';
import { DEFAULT_TIME_ZONE } from '@/lib/i18n/format';
import type { Locale, Translate } from '@/lib/i18n/messages';
import { SERVER_CATALOGS, translatorFor, type LocaleMessages } from '@/lib/i18n/translate';

const I18nContext = createContext<{ locale: Locale; zone: string; t: Translate } | null>(null);

/** One load per catalog URL in the browser: the same promise on every render, as `use` needs. */
const loads = new Map<string, Promise<LocaleMessages>>();

/**
 * Until it comes: the page shows the server's HTML meanwhile (hydration waits for the strings), so a
 * reader can read but not yet act. Keys instead of strings would not match the server's HTML and
 * would replace the whole page. Backs off to every 5 s; says so once on the console.
 */
async function loadCatalog(url: string): Promise<LocaleMessages> {
  for (let attempt = 1; ; attempt++) {
    try {
      // No Accept header of our own: the request must be the one the layout's preload made.
      return await fetchJson<LocaleMessages>(url, { cache: 'default', headers: {} });
    } catch (e) {
      if (attempt === 3) console.error('[i18n] the message catalog did not load yet; trying again every few seconds', e);
      await new Promise((r) => setTimeout(r, Math.min(400 * 2 ** (attempt - 1), 5_000)));
    }
  }
}

function catalogAt(locale: Locale, url: string): LocaleMessages | Promise<LocaleMessages> {
  if (typeof window === 'undefined') {
    const catalogs = (globalThis as { [SERVER_CATALOGS]?: Record<Locale, LocaleMessages> })[SERVER_CATALOGS];
    if (!catalogs) throw new Error('The message catalogs are not registered for the server render (instrumentation.ts, lib/server/i18n/catalog-url.ts).');
    return catalogs[locale];
  }
  let load = loads.get(url);
  if (!load) loads.set(url, (load = loadCatalog(url)));
  return load;
}

/**
 * The language, its messages and the time zone the server rendered with, so the browser formats
 * exactly as it did. The browser loads the reader's language from `catalogUrl` (versioned, kept by
 * the browser; the layout preloads it), and hydrates once it is there (until then the server's HTML
 * stays on screen): the strings no longer travel in every page's payload
 * (docs/decisions/057-message-catalog-asset.md), and importing the catalog here would ship both
 * languages in every page's JavaScript (052). Tests hand `messages` in.
 */
export function I18nProvider({
  locale,
  messages,
  catalogUrl,
  zone = DEFAULT_TIME_ZONE,
  children,
}: {
  locale: Locale;
  zone?: string;
  children: ReactNode;
} & ({ messages: LocaleMessages; catalogUrl?: undefined } | { messages?: undefined; catalogUrl: string })) {
  const found = messages ?? catalogAt(locale, catalogUrl!);
  const strings = found instanceof Promise ? use(found) : found;
  const value = useMemo(() => ({ locale, zone, t: translatorFor(strings, locale) }), [locale, strings, zone]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The current locale, time zone and translator, in client components. */
export function useI18n() {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n needs an I18nProvider above it');
  return value;
}
