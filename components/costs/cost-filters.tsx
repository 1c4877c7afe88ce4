import { Field, Select } from '@/components/ui/field';
import { FilterForm } from '@/components/ui/filter-form';
import { COST_BASES } from '@/lib/costs/schemas';
import { ENVIRONMENT_SLUGS } from '@/lib/environments';
import type { Translate } from '@/lib/i18n/messages';

/** Filter controls are denser than a form's. */
const compact = 'w-auto px-2 py-1.5';

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
    <FilterForm action="/costs" label={t('costs.filters')} applyLabel={t('costs.filter.apply')} clearLabel={t('costs.filter.clear')}>
      <Field id="costs-basis" label={t('costs.filter.basis')}>
        <Select name="basis" defaultValue={values.basis} className={compact}>
          {COST_BASES.map((b) => (
            <option key={b} value={b}>
              {t(`costs.basis.${b}`)}
            </option>
          ))}
        </Select>
      </Field>
      <Field id="costs-env" label={t('costs.filter.env')}>
        <Select name="env" defaultValue={values.env} className={compact}>
          <option value="">{t('costs.filter.any')}</option>
          {ENVIRONMENT_SLUGS.map((e) => (
            <option key={e} value={e}>
              {e}
            </option>
          ))}
        </Select>
      </Field>
      <Field id="costs-team" label={t('costs.filter.team')}>
        <Select name="team" defaultValue={values.team} className={compact}>
          <option value="">{t('costs.filter.any')}</option>
          {teams.map((tm) => (
            <option key={tm.slug} value={tm.slug}>
              {tm.name}
            </option>
          ))}
        </Select>
      </Field>
    </FilterForm>
  );
}
