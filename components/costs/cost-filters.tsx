import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { COST_BASES } from '@/lib/costs/schemas';
import { ENVIRONMENT_SLUGS } from '@/lib/environments';
import type { Translate } from '@/lib/i18n/messages';

const fieldClass = 'rounded-md border border-border bg-surface px-2 py-1.5';

/** The cost overview's filter form (GET, so a filtered view is a link). */
export function CostFilters({
  t,
  values,
  teams,
}: {
  t: Translate;
  values: { basis: string; env: string; team: string };
  teams: { slug: string; name: string }[];
}) {
  return (
    <form method="get" action="/costs" aria-label={t('costs.filters')} className="flex flex-wrap items-end gap-3 text-sm">
      <label className="flex flex-col gap-1">
        <span className="font-medium">{t('costs.filter.basis')}</span>
        <select name="basis" defaultValue={values.basis} className={fieldClass}>
          {COST_BASES.map((b) => (
            <option key={b} value={b}>
              {t(`costs.basis.${b}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="font-medium">{t('costs.filter.env')}</span>
        <select name="env" defaultValue={values.env} className={fieldClass}>
          <option value="">{t('costs.filter.any')}</option>
          {ENVIRONMENT_SLUGS.map((e) => (
            <option key={e} value={e}>
              {e}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="font-medium">{t('costs.filter.team')}</span>
        <select name="team" defaultValue={values.team} className={fieldClass}>
          <option value="">{t('costs.filter.any')}</option>
          {teams.map((tm) => (
            <option key={tm.slug} value={tm.slug}>
              {tm.name}
            </option>
          ))}
        </select>
      </label>
      <Button type="submit" size="sm">
        {t('costs.filter.apply')}
      </Button>
      <Link href="/costs" className="pb-1.5 text-primary underline">
        {t('costs.filter.clear')}
      </Link>
    </form>
  );
}
