import { AuditEvents } from '@/components/audit/audit-events';
import { AuditFilters } from '@/components/audit/audit-filters';
import { VerifyChainButton } from '@/components/audit/verify-chain-button';
import { QueryProvider } from '@/components/query-provider';
import { FilterErrors } from '@/components/ui/filter-errors';
import { withoutTableParams } from '@/components/ui/table-url';
import { auditFilterSchema } from '@/lib/audit/schemas';
import type { MessageKey } from '@/lib/i18n/messages';
import { requirePermission } from '@/lib/server/auth/guards';
import { can } from '@/lib/server/auth/permissions';
import { listAuditEvents, listAuditTargetNames } from '@/lib/server/db/repositories/audit';
import { listTeams } from '@/lib/server/db/repositories/teams';
import { listUsersForAdmin } from '@/lib/server/db/repositories/users';
import { safeParseQuery } from '@/lib/server/http/query';
import { instantFormat, zonedInputToIso } from '@/lib/i18n/format';
import { getTimeZone, getTranslator } from '@/lib/server/i18n/locale';
import { pageTitle } from '@/lib/server/i18n/metadata';

// The tab's title in the reader's language.
export const generateMetadata = pageTitle('title.audit');

type SearchParams = Record<string, string | string[] | undefined>;

/** The query-string keys that select events; `cursor` only pages and `limit` only sizes the page. */
const FILTER_KEYS = ['actor', 'action', 'environment', 'team', 'request', 'from', 'to', 'q'] as const;
const LABELS: Record<string, MessageKey> = {
  actor: 'audit.filter.actor',
  action: 'audit.filter.action',
  environment: 'audit.filter.environment',
  team: 'audit.filter.team',
  request: 'audit.filter.request',
  from: 'audit.filter.from',
  to: 'audit.filter.to',
  q: 'audit.filter.q',
  cursor: 'audit.filter.cursor',
  limit: 'audit.filter.limit',
};

/** The non-empty filters of the URL as given (not re-serialized), so that links keep exactly what the user typed. */
function filterParams(raw: SearchParams, keys: readonly string[]): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of keys) {
    const value = raw[key];
    if (typeof value === 'string' && value.trim() !== '') params.set(key, value);
  }
  return params;
}

/** Keeps a filtered id selectable even when it is no longer in the list (e.g. a deactivated user's events). */
function withSelected(options: { id: string; name: string }[], selected: string | undefined) {
  return selected && !options.some((o) => o.id === selected) ? [...options, { id: selected, name: selected }] : options;
}

/** A datetime-local query value read in zone, as ISO with the offset; anything else as given (the schema judges it). */
function zonedQuery(value: SearchParams[string], zone: string): SearchParams[string] {
  return typeof value === 'string' ? (zonedInputToIso(value, zone) ?? value) : value;
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission('audit.read', '/audit');
  const [given, zone] = await Promise.all([searchParams, getTimeZone()]);
  // The table's own view (t.sort, t.q) is the browser's business, not a filter of the server's.
  const own = withoutTableParams(given);
  // The form's datetime-local values are wall-clock times in the reader's zone (docs/decisions/048):
  // they become ISO times with its offset before the schema reads them, and so in the export link.
  const raw = { ...own, from: zonedQuery(own.from, zone), to: zonedQuery(own.to, zone) };
  // Parameters the page does not take are refused like bad values, as the API does.
  const parsed = safeParseQuery(raw, auditFilterSchema);
  const [{ t, locale }, users, teams, page] = await Promise.all([
    getTranslator(),
    listUsersForAdmin(),
    listTeams(),
    // Bad filters list nothing: an unfiltered list could be mistaken for the filtered one.
    parsed.success ? listAuditEvents(parsed.data) : Promise.resolve(null),
  ]);

  const when = instantFormat(locale, zone);
  const names = page ? await listAuditTargetNames(page.events) : {};
  const filter = parsed.success ? parsed.data : null;
  const text = (key: string) => (typeof given[key] === 'string' ? (given[key] as string) : '');

  const selection = filterParams(raw, FILTER_KEYS);
  const exportHref = (format: 'csv' | 'json') => `/api/v1/audit/export?${new URLSearchParams([['format', format], ...selection])}`;
  const pageHref = (cursor: number | null) => {
    const params = filterParams(given, [...FILTER_KEYS, 'limit']);
    if (cursor) params.set('cursor', String(cursor));
    const query = params.toString();
    return query ? `/audit?${query}` : '/audit';
  };

  const actorOptions = users.map((u) => ({ id: u.id, name: u.name })).sort((x, y) => x.name.localeCompare(y.name, locale));
  const teamOptions = teams.map((tm) => ({ id: tm.id, name: tm.name }));

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">{t('audit.title')}</h1>
          <p className="text-sm text-muted">{t('audit.intro')}</p>
        </div>
        {can(actor, 'audit.verify') ? (
          <QueryProvider>
            <VerifyChainButton />
          </QueryProvider>
        ) : null}
      </div>

      <AuditFilters
        t={t}
        zone={zone}
        actors={withSelected(actorOptions, filter?.actor)}
        teams={withSelected(teamOptions, filter?.team)}
        values={{
          actor: filter?.actor ?? text('actor'),
          action: filter?.action ?? '',
          environment: filter?.environment ?? '',
          team: filter?.team ?? text('team'),
          from: filter?.from ?? text('from'),
          to: filter?.to ?? text('to'),
          request: text('request'),
          q: text('q'),
          limit: typeof given.limit === 'string' ? given.limit : null,
        }}
      />

      {!parsed.success ? (
        <FilterErrors
          title={t('audit.invalid')}
          messages={parsed.error.issues.map((issue) => {
            const key = String(issue.path[0] ?? '');
            return `${LABELS[key] ? t(LABELS[key]) : key}: ${issue.message}`;
          })}
        />
      ) : null}

      {page ? (
        <AuditEvents
          events={page.events}
          when={when}
          zone={zone}
          names={names}
          t={t}
          exportHrefs={can(actor, 'audit.export') ? { csv: exportHref('csv'), json: exportHref('json') } : null}
          newestHref={filter?.cursor ? pageHref(null) : null}
          olderHref={page.nextCursor ? pageHref(page.nextCursor) : null}
        />
      ) : null}
    </div>
  );
}
