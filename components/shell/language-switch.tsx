'use client';

import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { LOCALES, type Locale } from '@/lib/i18n/locales';

const NAMES: Record<Locale, string> = { en: 'English', ko: '한국어' };

/** Switches the UI language (kept in a cookie) and re-renders the page in it. */
export function LanguageSwitch({ setLocale }: { setLocale: (locale: Locale) => Promise<unknown> }) {
  const { locale, t } = useI18n();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <label className="flex items-center gap-1 text-sm">
      <span className="sr-only">{t('shell.language')}</span>
      <select
        className="rounded-md border border-border bg-surface px-2 py-1"
        value={locale}
        disabled={pending}
        onChange={(e) => {
          const next = e.target.value as Locale;
          startTransition(async () => {
            await setLocale(next);
            router.refresh();
          });
        }}
      >
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
