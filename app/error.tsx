'use client';

import { useI18n } from '@/components/i18n-provider';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

// Shown when a page throws; the message of an unexpected error is never shown (it may hold internals).
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const { t } = useI18n();
  return (
    // The whole page is the alert; it reads as a page, not as an inline error.
    <Alert as="div" className="mx-auto max-w-lg py-16 text-center text-base text-fg">
      <h1 className="text-2xl font-bold">{t('error.title')}</h1>
      <p className="mt-2 text-muted">{t('error.body', { digest: error.digest ?? '-' })}</p>
      <Button className="mt-6" onClick={reset}>
        {t('error.retry')}
      </Button>
    </Alert>
  );
}
