// Rendering client components in vitest (files that start with `// @vitest-environment happy-dom`).
// Server actions are passed to the components as props, so a test hands in a vi.fn() instead.
import { cleanup, render, screen, type RenderResult } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { afterEach, vi } from 'vitest';
import { I18nProvider } from '@/components/i18n-provider';
import { createTranslator, MESSAGES } from '@/lib/i18n/messages';

/** The English strings the components show, so assertions read like the page. */
export const t = createTranslator('en');

/** next/navigation's router as the components use it; vi.mock('next/navigation', ...) returns it. */
export const router = { refresh: vi.fn(), push: vi.fn() };

afterEach(() => {
  cleanup();
  router.refresh.mockReset();
  router.push.mockReset();
});

/** Renders inside the English I18nProvider (in UTC unless a zone is given), with a user-event session to interact. */
export function renderWithI18n(ui: ReactElement, zone = 'UTC'): RenderResult & { user: ReturnType<typeof userEvent.setup> } {
  const user = userEvent.setup();
  return {
    user,
    ...render(
      <I18nProvider locale="en" messages={MESSAGES.en} zone={zone}>
        {ui}
      </I18nProvider>,
    ),
  };
}

/** A server action's answer, resolved only when the test says so: lets a test see the pending state. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** The button with that accessible name (its `disabled` is what the user can click). */
export const button = (name: string) => screen.getByRole<HTMLButtonElement>('button', { name });
