import 'server-only';
import { createHash } from 'node:crypto';
import { LOCALES } from '@/lib/i18n/locales';
import { MESSAGES, type Locale } from '@/lib/i18n/messages';
import { SERVER_CATALOGS } from '@/lib/i18n/translate';

/**
 * Each language's catalog is served once per version at its own URL (app/api/i18n/[locale]/route.ts)
 * and kept by the browser, instead of travelling in every page's payload (~74 kB of 85 kB on the
 * requests page; docs/decisions/057-message-catalog-asset.md). The version is the catalog's hash:
 * a release that changes a string changes the URL.
 */
const digest = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 16);

export function versionOf(catalog: Readonly<Record<string, string>>): string {
  return digest(JSON.stringify(catalog));
}

/** Each catalog serialized once per process; its version is the hash of that text. */
const JSON_TEXT = Object.fromEntries(LOCALES.map((locale) => [locale, JSON.stringify(MESSAGES[locale])])) as Record<Locale, string>;
const VERSIONS = Object.fromEntries(LOCALES.map((locale) => [locale, digest(JSON_TEXT[locale])])) as Record<Locale, string>;

/** The catalog as the route sends it. */
export function catalogJson(locale: Locale): string {
  return JSON_TEXT[locale];
}

export function catalogVersion(locale: Locale): string {
  return VERSIONS[locale];
}

export function catalogUrl(locale: Locale): string {
  return `/api/i18n/${locale}?v=${VERSIONS[locale]}`;
}

/**
 * Hands the catalogs to the provider's server render (components/i18n-provider.tsx) within this
 * process: the server components and the server render of client components run in the same
 * process, so the strings need not be serialized into the page to reach it. Called from
 * instrumentation.ts, once per process, before any request.
 */
export function registerServerCatalogs(): void {
  (globalThis as { [SERVER_CATALOGS]?: typeof MESSAGES })[SERVER_CATALOGS] = MESSAGES;
}
