'use client';

import { QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { I18nProvider } from '@/components/i18n-provider';
import { makeQueryClient } from '@/components/query-client';
import type { Locale } from '@/lib/i18n/messages';
import type { LocaleMessages } from '@/lib/i18n/translate';

export function Providers({ locale, messages, zone, children }: { locale: Locale; messages: LocaleMessages; zone: string; children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider locale={locale} messages={messages} zone={zone}>
        {children}
      </I18nProvider>
    </QueryClientProvider>
  );
}
