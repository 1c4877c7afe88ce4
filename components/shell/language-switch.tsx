'use client';

import { useI18n } from '@/components/i18n-provider';
import { Select } from '@/components/ui/field';
import { useActionCall } from '@/components/use-action-call';
import type { ActionResult } from '@/lib/action-result';
import { LOCALES, type Locale } from '@/lib/i18n/locales';

const NAMES: Record<Locale, string> = { en: 'English', ko: '한국어' };

/** Switches the UI language (kept in a cookie) and re-renders the page in it. */
export function LanguageSwitch({ setLocale }: { setLocale: (locale: Locale) => Promise<ActionResult> }) {
  const { locale, t } = useI18n();
  // The one mutation path: pending while the cookie is set, then the page's server data re-rendered.
  const { call, pending } = useActionCall(setLocale);
  return (
    <label className="flex items-center gap-1 text-sm">
      <span className="sr-only">{t('shell.language')}</span>
      <Select className="w-auto px-2 py-1" value={locale} disabled={pending} onChange={(e) => call(e.target.value as Locale)}>
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {NAMES[l]}
          </option>
        ))}
      </Select>
    </label>
  );
}
