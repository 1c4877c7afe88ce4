import Link from 'next/link';
import { getTranslator } from '@/lib/server/i18n/locale';

export default async function Forbidden() {
  const { t } = await getTranslator();
  return (
    <div className="mx-auto max-w-lg py-16 text-center">
      <p className="text-sm font-semibold text-danger">403</p>
      <h1 className="mt-2 text-2xl font-bold">{t('forbidden.title')}</h1>
      <p className="mt-2 text-muted">{t('forbidden.body')}</p>
      <Link href="/" className="mt-6 inline-block text-primary underline">
        {t('common.backHome')}
      </Link>
    </div>
  );
}
