'use client';

import { QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { I18nProvider } from '@/components/i18n-provider';
import { makeQueryClient } from '@/components/query-client';
import type { Locale } from '@/lib/i18n/messages';

export function Providers({ locale, zone, children }: { locale: Locale; zone: string; children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider locale={locale} zone={zone}>
        {children}
      </I18nProvider>
    </QueryClientProvider>
  );
}
