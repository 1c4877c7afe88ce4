import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { ENVIRONMENTS } from '@/lib/environments';
import { auditActionOptions } from '@/lib/audit/action-options';
import { isoWithOffset } from '@/lib/i18n/format';
import type { Translate } from '@/lib/i18n/messages';

const fieldClass = 'rounded-md border border-border bg-surface px-2 py-1.5';

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
    <form method="get" action="/audit" aria-label={t('audit.filters')} className="grid grid-cols-1 gap-3 text-sm sm:grid-cols-2 lg:grid-cols-4">
      <label className="flex flex-col gap-1">
        <span className="font-medium">{t('audit.filter.actor')}</span>
        <select name="actor" defaultValue={values.actor} className={fieldClass}>
          <option value="">{t('audit.filter.anyActor')}</option>
          {actors.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="font-medium">{t('audit.filter.action')}</span>
        {/* Every action the history records (lib/audit/actions.ts); the API refuses any other. */}
        <select name="action" defaultValue={values.action} className={fieldClass}>
          <option value="">{t('audit.filter.anyAction')}</option>
          {auditActionOptions(t).map((a) => (
            <option key={a.value} value={a.value}>
              {`${a.label} (${a.value})`}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="font-medium">{t('audit.filter.environment')}</span>
        <select name="environment" defaultValue={values.environment} className={fieldClass}>
          <option value="">{t('audit.filter.anyEnvironment')}</option>
          {ENVIRONMENTS.map((e) => (
            <option key={e} value={e}>
              {t(`access.env.${e}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="font-medium">{t('audit.filter.team')}</span>
        <select name="team" defaultValue={values.team} className={fieldClass}>
          <option value="">{t('audit.filter.anyTeam')}</option>
          {teams.map((tm) => (
            <option key={tm.id} value={tm.id}>
              {tm.name}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="font-medium">{t('audit.filter.from')}</span>
        <input type="datetime-local" step={1} name="from" defaultValue={dateValue(values.from, zone)} className={fieldClass} />
      </label>
      <label className="flex flex-col gap-1">
        <span className="font-medium">{t('audit.filter.to')}</span>
        <input type="datetime-local" step={1} name="to" defaultValue={dateValue(values.to, zone)} className={fieldClass} />
      </label>
      <label className="flex flex-col gap-1">
        <span className="font-medium">{t('audit.filter.request')}</span>
        <input name="request" defaultValue={values.request} autoComplete="off" className={`${fieldClass} font-mono`} />
      </label>
      <label className="flex flex-col gap-1">
        <span className="font-medium">{t('audit.filter.q')}</span>
        <input type="search" name="q" defaultValue={values.q} placeholder={t('audit.filter.qPlaceholder')} className={fieldClass} />
      </label>
      {values.limit !== null ? <input type="hidden" name="limit" value={values.limit} /> : null}
      <div className="flex flex-wrap items-center gap-3 sm:col-span-2 lg:col-span-4">
        <Button type="submit" size="sm">
          {t('audit.filter.apply')}
        </Button>
        <Link href="/audit" className="text-primary underline">
          {t('audit.filter.clear')}
        </Link>
        <span className="text-xs text-muted">{t('audit.timezone', { zone })}</span>
      </div>
    </form>
  );
}
