import { describe, expect, it } from 'vitest';
import { MESSAGES } from '@/lib/i18n/messages';
import { GET } from '@/app/api/i18n/[locale]/route';
import { catalogUrl, catalogVersion, versionOf } from '@/lib/server/i18n/catalog-url';

const call = (locale: string, query = '') => GET(new Request(`http://localhost/api/i18n/${locale}${query}`), { params: Promise.resolve({ locale }) });

describe('GET /api/i18n/[locale]', () => {
  it('serves one language at its versioned URL, kept for a year, without signing in', async () => {
    for (const locale of ['en', 'ko'] as const) {
      const url = catalogUrl(locale);
      expect(url).toBe(`/api/i18n/${locale}?v=${catalogVersion(locale)}`);
      const res = await call(locale, url.slice(url.indexOf('?')));
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(await res.json()).toEqual(MESSAGES[locale]);
    }
  });

  it('gives the current strings to an older version, not kept (a page still open across a release)', async () => {
    const res = await call('ko', '?v=an-old-version');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.json()).toEqual(MESSAGES.ko);
  });

  it('refuses a language it does not have with 404 and a message', async () => {
    const res = await call('fr', '?v=x');
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toBe('No such language: fr. Known: en, ko.');
  });

  it('refuses a parameter it does not read with 400, naming it', async () => {
    const res = await call('en', '?v=x&lang=ko');
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/^lang: unknown parameter/);
  });

  it('names a version by the strings: one changed string, another URL', () => {
    expect(catalogVersion('en')).toBe(versionOf(MESSAGES.en));
    expect(catalogVersion('en')).toMatch(/^[\w-]{16}$/);
    expect(versionOf({ ...MESSAGES.en })).toBe(catalogVersion('en'));
    expect(versionOf({ ...MESSAGES.en, 'app.name': 'Gatehouse!' })).not.toBe(catalogVersion('en'));
    expect(catalogVersion('ko')).not.toBe(catalogVersion('en'));
  });
});
