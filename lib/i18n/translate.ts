import type { Locale, MessageKey, Translate } from '@/lib/i18n/messages';
import { formatMessage } from '@/lib/i18n/plural';

/** The messages of one locale, as the server hands them to the browser (docs/decisions/052-page-weight-budget.md). */
export type LocaleMessages = Readonly<Record<MessageKey, string>>;

/**
 * Where the server puts every language's catalog for the server render of client components, in
 * its own process (lib/server/i18n/catalog-url.ts registers them; components/i18n-provider.tsx reads).
 */
export const SERVER_CATALOGS = Symbol.for('gatehouse.i18n.catalogs');

/**
 * A translator over a catalog already chosen for one locale. It imports no catalog itself, so a
 * client component that translates does not bundle both languages' strings.
 */
export function translatorFrom<K extends string>(
  catalog: Readonly<Partial<Record<K, string>>>,
  locale: Locale,
  fallback?: Readonly<Partial<Record<K, string>>>,
): ((key: K, vars?: Record<string, string | number>) => string) & { readonly locale: Locale } {
  return Object.assign((key: K, vars?: Record<string, string | number>) => formatMessage(catalog[key] ?? fallback?.[key] ?? key, locale, vars), { locale });
}

/** The app's translator over one locale's full catalog. */
export const translatorFor = (messages: LocaleMessages, locale: Locale): Translate => translatorFrom<MessageKey>(messages, locale);
