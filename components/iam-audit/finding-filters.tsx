import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { FINDING_KINDS, SEVERITIES } from '@/lib/iam-audit/rules';
import type { Translate } from '@/lib/i18n/messages';

const fieldClass = 'rounded-md border border-border bg-surface px-2 py-1.5';

/** The IAM audit's filter form (GET, so a filtered view is a link). */
export function FindingFilters({ t, values }: { t: Translate; values: { kind: string; severity: string } }) {
  return (
    <form method="get" action="/iam-audit" aria-label={t('iamAudit.filters')} className="flex flex-wrap items-end gap-3 text-sm">
      <label className="flex flex-col gap-1">
        <span className="font-medium">{t('iamAudit.filter.kind')}</span>
        <select name="kind" defaultValue={values.kind} className={fieldClass}>
          <option value="">{t('iamAudit.filter.any')}</option>
          {FINDING_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`iamAudit.kind.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="font-medium">{t('iamAudit.filter.severity')}</span>
        <select name="severity" defaultValue={values.severity} className={fieldClass}>
          <option value="">{t('iamAudit.filter.any')}</option>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {t(`iamAudit.severity.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <Button type="submit" size="sm">
        {t('iamAudit.filter.apply')}
      </Button>
      <Link href="/iam-audit" className="text-primary underline">
        {t('iamAudit.filter.clear')}
      </Link>
    </form>
  );
}
