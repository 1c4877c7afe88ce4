import Link from 'next/link';
import { getTranslator } from '@/lib/server/i18n/locale';

export default async function NotFound() {
  const { t } = await getTranslator();
  return (
    <div className="mx-auto max-w-lg py-16 text-center">
      <p className="text-sm font-semibold text-muted">404</p>
      <h1 className="mt-2 text-2xl font-bold">{t('notFound.title')}</h1>
      <p className="mt-2 text-muted">{t('notFound.body')}</p>
      <Link href="/" className="mt-6 inline-block text-primary underline">
        {t('common.backHome')}
      </Link>
    </div>
  );
}
