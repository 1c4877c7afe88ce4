import { AppError } from '@/lib/errors';
import { isLocale } from '@/lib/i18n/messages';
import { LOCALES } from '@/lib/i18n/locales';
import { catalogJson, catalogVersion } from '@/lib/server/i18n/catalog-url';
import { parseQuery } from '@/lib/server/http/query';
import { route } from '@/lib/server/http/route';
import { z } from 'zod';

/** `?v=`: the catalog's version the page was rendered with (lib/server/i18n/catalog-url.ts); any other parameter is 400. */
const catalogQuerySchema = z.object({ v: z.string().max(64).optional() });

/**
 * One language's interface strings, for the browser's translator (components/i18n-provider.tsx).
 * Asked for at the URL of the current version (`?v=`, lib/server/i18n/catalog-url.ts), it is kept
 * for a year: a release that changes a string changes the URL. Any other version gets the current
 * strings, not kept (a page rendered before a release, still open).
 */
export const GET = route<{ locale: string }, 'messages.read'>('messages.read', async ({ request, params }) => {
  if (!isLocale(params.locale)) throw new AppError('NOT_FOUND', `No such language: ${params.locale.slice(0, 20)}. Known: ${LOCALES.join(', ')}.`);
  const { v } = parseQuery(request, catalogQuerySchema);
  const current = v === catalogVersion(params.locale);
  return new Response(catalogJson(params.locale), {
    headers: { 'content-type': 'application/json', 'cache-control': current ? 'public, max-age=31536000, immutable' : 'no-cache' },
  });
});
