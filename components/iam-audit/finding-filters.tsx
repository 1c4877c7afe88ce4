import { Field, Select } from '@/components/ui/field';
import { FilterForm } from '@/components/ui/filter-form';
import { FINDING_KINDS, SEVERITIES } from '@/lib/iam-audit/rules';
import type { Translate } from '@/lib/i18n/messages';

/** The IAM audit's filter form (GET, so a filtered view is a link). */
export function FindingFilters({ t, values }: { t: Translate; values: { kind: string; severity: string } }) {
  return (
    <FilterForm action="/iam-audit" label={t('iamAudit.filters')} applyLabel={t('iamAudit.filter.apply')} clearLabel={t('iamAudit.filter.clear')}>
      <Field id="finding-kind" label={t('iamAudit.filter.kind')}>
        <Select name="kind" defaultValue={values.kind} className="w-auto px-2 py-1.5">
          <option value="">{t('iamAudit.filter.any')}</option>
          {FINDING_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`iamAudit.kind.${k}`)}
            </option>
          ))}
        </Select>
      </Field>
      <Field id="finding-severity" label={t('iamAudit.filter.severity')}>
        <Select name="severity" defaultValue={values.severity} className="w-auto px-2 py-1.5">
          <option value="">{t('iamAudit.filter.any')}</option>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {t(`iamAudit.severity.${s}`)}
            </option>
          ))}
        </Select>
      </Field>
    </FilterForm>
  );
}
