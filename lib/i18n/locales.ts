/** Supported UI languages; English is the fallback. Kept apart from the catalog so the language switch bundles no strings. */
export const LOCALES = ['en', 'ko'] as const;
export type Locale = (typeof LOCALES)[number];
