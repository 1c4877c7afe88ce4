import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { preload } from 'react-dom';
import { setLocaleAction } from '@/app/actions';
import { SECTIONS } from '@/app/sections';
import { I18nProvider } from '@/components/i18n-provider';
import { AppHeader } from '@/components/shell/app-header';
import type { NavItem } from '@/components/shell/nav-links';
import { LanguageSwitch } from '@/components/shell/language-switch';
import { TimeZoneSync } from '@/components/shell/time-zone-sync';
import type { CloudAccount } from '@/lib/cloud/account';
import { getActor } from '@/lib/server/auth/guards';
import { can } from '@/lib/server/auth/permissions';
import { currentAccount } from '@/lib/server/cloud/account';
import { catalogUrl } from '@/lib/server/i18n/catalog-url';
import { getTranslator } from '@/lib/server/i18n/locale';
import { navCounts, type NavCounts } from '@/lib/server/nav-counts';
import './globals.css';

/** The default tab title and the description, in the reader's language; pages set their own title. */
export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: { default: t('app.name'), template: `%s · ${t('app.name')}` }, description: t('app.tagline') };
}

// Every page reads the session and the database: nothing is rendered at build time.
export const dynamic = 'force-dynamic';

// The layout only decides what the header shows; every page authorizes on its own.
export default async function RootLayout({ children }: { children: ReactNode }) {
  const [{ locale, zone, t }, actor] = await Promise.all([getTranslator(), getActor()]);
  const [account, counts]: [CloudAccount | null, NavCounts | null] = actor
    ? await Promise.all([currentAccount().catch(() => null), navCounts(actor)])
    : [null, null];
  const nav: NavItem[] = SECTIONS.filter((s) => can(actor, s.action) && (!s.sandboxOnly || account?.mode === 'sandbox')).map((s) => {
    const count = s.badge && counts ? counts[s.badge] : null;
    return { href: s.href, label: t(s.label), ...(count ? { badge: { count, label: t(`header.badge.${s.badge!}`, { count }) } } : {}) };
  });
  // The browser asks for the reader's catalog at once, in parallel with the page's scripts.
  const strings = catalogUrl(locale);
  preload(strings, { as: 'fetch', crossOrigin: 'anonymous' });
  return (
    <html lang={locale}>
      <body className="min-h-screen">
        {/* No QueryClientProvider here: the pages with live data wrap their live part (components/query-provider.tsx). */}
        <I18nProvider locale={locale} catalogUrl={strings} zone={zone}>
          <TimeZoneSync />
          <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-surface focus:p-2">
            {t('shell.skipToContent')}
          </a>
          <AppHeader actor={actor} account={account} nav={nav} t={t} languageSwitch={<LanguageSwitch setLocale={setLocaleAction} />} />
          <main id="main" className="mx-auto max-w-7xl px-4 py-6">
            {children}
          </main>
        </I18nProvider>
      </body>
    </html>
  );
}
