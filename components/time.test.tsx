// @vitest-environment happy-dom
import { act } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { I18nProvider } from '@/components/i18n-provider';
import { Time } from '@/components/time';
import { MESSAGES, type Locale } from '@/lib/i18n/messages';

const INSTANT = new Date('2026-12-20T09:00:00Z');

function ui(locale: Locale, zone: string) {
  return (
    <I18nProvider locale={locale} messages={MESSAGES[locale]} zone={zone}>
      <Time value={INSTANT} />
    </I18nProvider>
  );
}

/** The server's HTML, then the browser hydrating it: the text it ends with, and any recoverable (mismatch) error. */
async function serverThenClient(locale: Locale, zone: string) {
  const html = renderToString(ui(locale, zone));
  const container = document.createElement('div');
  container.innerHTML = html;
  document.body.appendChild(container);
  const onRecoverableError = vi.fn();
  const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
  await act(async () => {
    hydrateRoot(container, ui(locale, zone), { onRecoverableError });
  });
  const after = container.querySelector('time');
  const result = {
    html,
    text: after?.textContent,
    attrs: { dateTime: after?.getAttribute('datetime'), title: after?.getAttribute('title') },
    onRecoverableError,
    consoleError,
  };
  consoleError.mockRestore();
  container.remove();
  return result;
}

describe('<Time>', () => {
  it.each([
    ['en', 'Europe/Berlin', 'Dec 20, 2026, 10:00 UTC+1'],
    ['ko', 'Europe/Berlin', '2026년 12월 20일 10:00 UTC+1'],
    ['ko', 'Asia/Seoul', '2026년 12월 20일 18:00 UTC+9'],
    ['en', 'UTC', 'Dec 20, 2026, 09:00 UTC'],
  ] as const)('prints the same labelled text on the server and after hydration (%s, %s)', async (locale, zone, expected) => {
    const r = await serverThenClient(locale, zone);
    expect(r.html).toContain(`>${expected}</time>`);
    expect(r.text).toBe(expected);
    expect(r.attrs).toEqual({ dateTime: '2026-12-20T09:00:00.000Z', title: zone });
    expect(r.onRecoverableError).not.toHaveBeenCalled();
    expect(r.consoleError).not.toHaveBeenCalled();
  });

  it('uses the zone the server rendered with, not the zone the browser runs in', async () => {
    // The test process's own zone is whatever the machine has: the output depends only on the provider's zone.
    const r = await serverThenClient('en', 'America/New_York');
    expect(r.text).toBe('Dec 20, 2026, 04:00 UTC−5');
  });
});
