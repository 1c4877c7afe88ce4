// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { act, Suspense } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider, useI18n } from '@/components/i18n-provider';
import { MESSAGES } from '@/lib/i18n/messages';

function Title() {
  const { t, locale } = useI18n();
  return <p>{`${locale}: ${t('app.name')} / ${t('shell.language')}`}</p>;
}

/** Renders and lets the catalog's load settle inside act (the provider suspends until it is there). */
async function renderAt(catalogUrl: string, locale: 'en' | 'ko' = 'en') {
  await act(async () => {
    render(
      <Suspense fallback={<p>waiting for the catalog</p>}>
        <I18nProvider locale={locale} catalogUrl={catalogUrl} zone="UTC">
          <Title />
        </I18nProvider>
      </Suspense>,
    );
  });
}

// React's act() in a test environment (testing-library sets it for its own render only).
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('I18nProvider in the browser', () => {
  it('loads the catalog from its URL, kept by the HTTP cache, and translates with it', async () => {
    const fetchMock = vi.fn(async () => json(MESSAGES.ko));
    vi.stubGlobal('fetch', fetchMock);
    await renderAt('/api/i18n/ko?v=test-1', 'ko');
    expect(await screen.findByText('ko: Gatehouse / 언어')).toBeTruthy();
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/i18n/ko?v=test-1');
    expect(init.cache).toBe('default');
  });

  it('loads one URL once, however many times it renders', async () => {
    const fetchMock = vi.fn(async () => json(MESSAGES.en));
    vi.stubGlobal('fetch', fetchMock);
    await renderAt('/api/i18n/en?v=test-2');
    expect(await screen.findByText('en: Gatehouse / Language')).toBeTruthy();
    cleanup();
    await renderAt('/api/i18n/en?v=test-2');
    expect(await screen.findByText('en: Gatehouse / Language')).toBeTruthy();
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('tries again when the catalog does not come, then translates', async () => {
    const fetchMock = vi
      .fn()
      .mockRejectedValueOnce(new TypeError('network down'))
      .mockResolvedValueOnce(json({ error: { message: 'busy' } }, 503))
      .mockResolvedValueOnce(json(MESSAGES.en));
    vi.stubGlobal('fetch', fetchMock);
    await renderAt('/api/i18n/en?v=test-3');
    expect(await screen.findByText('en: Gatehouse / Language', {}, { timeout: 3000 })).toBeTruthy();
    expect(fetchMock).toHaveBeenCalledTimes(3);
  });

  it('keeps trying while the catalog does not come, and says so once', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const fetchMock = vi
      .fn()
      .mockResolvedValueOnce(json({ error: { message: 'gone' } }, 500))
      .mockResolvedValueOnce(json({ error: { message: 'gone' } }, 500))
      .mockResolvedValueOnce(json({ error: { message: 'gone' } }, 500))
      .mockResolvedValueOnce(json({ error: { message: 'gone' } }, 500))
      .mockResolvedValueOnce(json(MESSAGES.en));
    vi.stubGlobal('fetch', fetchMock);
    await renderAt('/api/i18n/en?v=test-4');
    expect(screen.getByText('waiting for the catalog')).toBeTruthy();
    expect(await screen.findByText('en: Gatehouse / Language', {}, { timeout: 8000 })).toBeTruthy();
    expect(fetchMock).toHaveBeenCalledTimes(5);
    expect(console.error).toHaveBeenCalledTimes(1);
    expect(console.error).toHaveBeenCalledWith('[i18n] the message catalog did not load yet; trying again every few seconds', expect.any(Error));
  }, 15_000);

  it('asks with no header of its own, as the preload did', async () => {
    const fetchMock = vi.fn(async () => json(MESSAGES.en));
    vi.stubGlobal('fetch', fetchMock);
    await renderAt('/api/i18n/en?v=test-6');
    const [, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(init.headers).toEqual({});
    expect(init.method).toBe('GET');
  });

  it('takes the strings it is given without asking the server (tests, and the server render)', async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    render(
      <I18nProvider locale="en" messages={MESSAGES.en}>
        <Title />
      </I18nProvider>,
    );
    expect(screen.getByText('en: Gatehouse / Language')).toBeTruthy();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('hydrates the server’s HTML once the catalog is there, without a mismatch', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json(MESSAGES.ko)),
    );
    // The server renders with the strings in hand (lib/server/i18n/catalog-url.ts registers them).
    const html = renderToString(
      <I18nProvider locale="ko" messages={MESSAGES.ko}>
        <Title />
      </I18nProvider>,
    );
    const container = document.createElement('div');
    container.innerHTML = html;
    document.body.appendChild(container);
    const onRecoverableError = vi.fn();
    await act(async () => {
      hydrateRoot(
        container,
        <I18nProvider locale="ko" catalogUrl="/api/i18n/ko?v=test-5">
          <Title />
        </I18nProvider>,
        { onRecoverableError },
      );
    });
    expect(container.textContent).toBe('ko: Gatehouse / 언어');
    expect(onRecoverableError).not.toHaveBeenCalled();
    container.remove();
  });
});
