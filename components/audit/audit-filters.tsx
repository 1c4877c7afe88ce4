import { Field, Input, Select } from '@/components/ui/field';
import { FilterForm } from '@/components/ui/filter-form';
import { ENVIRONMENTS } from '@/lib/environments';
import { auditActionOptions } from '@/lib/audit/action-options';
import { isoWithOffset } from '@/lib/i18n/format';
import type { Translate } from '@/lib/i18n/messages';

/** Filter controls are denser than a form's. */
const compact = 'px-2 py-1.5';

/** A parsed date as a datetime-local value in the reader's zone, or the text as typed when it already has that shape (else nothing). */
function dateValue(value: Date | string, zone: string): string {
  // To the second: the form's inputs take seconds (step 1).
  if (value instanceof Date) return isoWithOffset(value, zone).slice(0, 19);
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value) ? value : '';
}

export interface AuditFilterValues {
  actor: string;
  action: string;
  environment: string;
  team: string;
  from: Date | string;
  to: Date | string;
  request: string;
  q: string;
  /** Kept as given so that filtering does not change the page size. */
  limit: string | null;
}

interface Option {
  id: string;
  name: string;
}

/** The audit history's filter form (GET, so a filtered view is a link). */
export function AuditFilters({ t, values, actors, teams, zone }: { t: Translate; values: AuditFilterValues; actors: Option[]; teams: Option[]; zone: string }) {
  return (
    <FilterForm
      action="/audit"
      label={t('audit.filters')}
      applyLabel={t('audit.filter.apply')}
      clearLabel={t('audit.filter.clear')}
      footer={t('audit.timezone', { zone })}
      className="grid grid-cols-1 sm:grid-cols-2 lg:grid-cols-4"
    >
      <Field id="audit-actor" label={t('audit.filter.actor')}>
        <Select name="actor" defaultValue={values.actor} className={compact}>
          <option value="">{t('audit.filter.anyActor')}</option>
          {actors.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field id="audit-action" label={t('audit.filter.action')}>
        {/* Every action the history records (lib/audit/actions.ts); the API refuses any other. */}
        <Select name="action" defaultValue={values.action} className={compact}>
          <option value="">{t('audit.filter.anyAction')}</option>
          {auditActionOptions(t).map((a) => (
            <option key={a.value} value={a.value}>
              {`${a.label} (${a.value})`}
            </option>
          ))}
        </Select>
      </Field>
      <Field id="audit-environment" label={t('audit.filter.environment')}>
        <Select name="environment" defaultValue={values.environment} className={compact}>
          <option value="">{t('audit.filter.anyEnvironment')}</option>
          {ENVIRONMENTS.map((e) => (
            <option key={e} value={e}>
              {t(`access.env.${e}`)}
            </option>
          ))}
        </Select>
      </Field>
      <Field id="audit-team" label={t('audit.filter.team')}>
        <Select name="team" defaultValue={values.team} className={compact}>
          <option value="">{t('audit.filter.anyTeam')}</option>
          {teams.map((tm) => (
            <option key={tm.id} value={tm.id}>
              {tm.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field id="audit-from" label={t('audit.filter.from')}>
        <Input type="datetime-local" step={1} name="from" defaultValue={dateValue(values.from, zone)} className={compact} />
      </Field>
      <Field id="audit-to" label={t('audit.filter.to')}>
        <Input type="datetime-local" step={1} name="to" defaultValue={dateValue(values.to, zone)} className={compact} />
      </Field>
      <Field id="audit-request" label={t('audit.filter.request')}>
        <Input name="request" defaultValue={values.request} autoComplete="off" className={`${compact} font-mono`} />
      </Field>
      <Field id="audit-q" label={t('audit.filter.q')}>
        <Input type="search" name="q" defaultValue={values.q} placeholder={t('audit.filter.qPlaceholder')} className={compact} />
      </Field>
      {values.limit !== null ? <input type="hidden" name="limit" value={values.limit} /> : null}
    </FilterForm>
  );
}
