import 'server-only';
import { createHash } from 'node:crypto';
import { LOCALES } from '@/lib/i18n/locales';
import { MESSAGES, type Locale } from '@/lib/i18n/messages';

/**
 * Each language's catalog is served once per version at its own URL (app/api/i18n/[locale]/route.ts)
 * and kept by the browser, instead of travelling in every page's payload (~74 kB of 85 kB on the
 * requests page; docs/decisions/057-message-catalog-asset.md). The version is the catalog's hash:
 * a release that changes a string changes the URL.
 */
export function versionOf(catalog: Readonly<Record<string, string>>): string {
  return createHash('sha256').update(JSON.stringify(catalog)).digest('base64url').slice(0, 16);
}

const VERSIONS = Object.fromEntries(LOCALES.map((locale) => [locale, versionOf(MESSAGES[locale])])) as Record<Locale, string>;

const JSON_TEXT = Object.fromEntries(LOCALES.map((locale) => [locale, JSON.stringify(MESSAGES[locale])])) as Record<Locale, string>;

/** The catalog as the route sends it, serialized once per process. */
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

const SERVER_CATALOGS = Symbol.for('gatehouse.i18n.catalogs');
