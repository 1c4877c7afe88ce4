import type { Metadata } from 'next';
import Link from 'next/link';
import { VerifyChainButton } from '@/components/audit/verify-chain-button';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { ENVIRONMENTS } from '@/lib/environments';
import { auditActionOptions } from '@/lib/audit/action-options';
import { auditFilterSchema } from '@/lib/audit/schemas';
import type { MessageKey, Translate } from '@/lib/i18n/messages';
import { requirePermission } from '@/lib/server/auth/guards';
import { can } from '@/lib/server/auth/permissions';
import { listAuditEvents, type AuditRow } from '@/lib/server/db/repositories/audit';
import { listTeams } from '@/lib/server/db/repositories/teams';
import { listUsersForAdmin } from '@/lib/server/db/repositories/users';
import { safeParseQuery } from '@/lib/server/http/query';
import { getTranslator } from '@/lib/server/i18n/locale';

export const metadata: Metadata = { title: 'Audit history' };

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

const ENV_TONE = { DEV: 'neutral', STAGING: 'warn', PROD: 'danger' } as const;

/** The non-empty filters of the URL as given (not re-serialized), so that links keep exactly what the user typed. */
function filterParams(raw: SearchParams, keys: readonly string[]): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of keys) {
    const value = raw[key];
    if (typeof value === 'string' && value.trim() !== '') params.set(key, value);
  }
  return params;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A date as a datetime-local value in the server's time zone: the zone the schema reads such values in. */
function toDateTimeLocal(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** JSON on one line, cut at `max` characters. */
function compactJson(value: unknown, max = 80): { text: string; cut: boolean } {
  const text = JSON.stringify(value);
  return text.length > max ? { text: `${text.slice(0, max - 1)}…`, cut: true } : { text, cut: false };
}

function ChangeView({ before, after, t }: { before: unknown; after: unknown; t: Translate }) {
  if (before === null && after === null) return <span className="text-muted">{t('audit.change.none')}</span>;
  const b = before === null ? null : compactJson(before);
  const a = after === null ? null : compactJson(after);
  return (
    <div className="max-w-md font-mono text-xs">
      <span className="break-all">
        <span className="text-muted">{b ? b.text : '∅'}</span>
        {' → '}
        <span>{a ? a.text : '∅'}</span>
      </span>
      {b?.cut || a?.cut ? (
        <details className="mt-1">
          <summary className="cursor-pointer font-sans text-primary">{t('audit.change.full')}</summary>
          <pre className="mt-1 overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2">
            {JSON.stringify(before, null, 2)}
            {'\n→\n'}
            {JSON.stringify(after, null, 2)}
          </pre>
        </details>
      ) : null}
    </div>
  );
}

const fieldClass = 'rounded-md border border-border bg-surface px-2 py-1.5';

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission('audit.read', '/audit');
  const raw = await searchParams;
  // Parameters the page does not take are refused like bad values, as the API does.
  const parsed = safeParseQuery(raw, auditFilterSchema);
  const [{ t, locale }, users, teams, page] = await Promise.all([
    getTranslator(),
    listUsersForAdmin(),
    listTeams(),
    // Bad filters list nothing: an unfiltered list could be mistaken for the filtered one.
    parsed.success ? listAuditEvents(parsed.data) : Promise.resolve(null),
  ]);

  // Dates are formatted, and datetime-local values read, in the server's time zone; the page says which.
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'long' });
  const filter = parsed.success ? parsed.data : null;
  const text = (key: string) => (typeof raw[key] === 'string' ? (raw[key] as string) : '');
  const dateValue = (key: 'from' | 'to') => {
    const date = filter?.[key];
    if (date) return toDateTimeLocal(date);
    return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text(key)) ? text(key) : '';
  };

  const selection = filterParams(raw, FILTER_KEYS);
  const exportHref = (format: 'csv' | 'json') => `/api/v1/audit/export?${new URLSearchParams([['format', format], ...selection])}`;
  const pageHref = (cursor: number | null) => {
    const params = filterParams(raw, [...FILTER_KEYS, 'limit']);
    if (cursor) params.set('cursor', String(cursor));
    const query = params.toString();
    return query ? `/audit?${query}` : '/audit';
  };

  // Keep a filtered id selectable even when it is no longer in the list (e.g. a deactivated user's events).
  const actorOptions = users.map((u) => ({ id: u.id, name: u.name })).sort((x, y) => x.name.localeCompare(y.name, locale));
  if (filter?.actor && !actorOptions.some((u) => u.id === filter.actor)) actorOptions.push({ id: filter.actor, name: filter.actor });
  const teamOptions = teams.map((tm) => ({ id: tm.id, name: tm.name }));
  if (filter?.team && !teamOptions.some((tm) => tm.id === filter.team)) teamOptions.push({ id: filter.team, name: filter.team });

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">{t('audit.title')}</h1>
          <p className="text-sm text-muted">{t('audit.intro')}</p>
        </div>
        {can(actor, 'audit.verify') ? <VerifyChainButton /> : null}
      </div>

      <form method="get" action="/audit" aria-label={t('audit.filters')} className="grid gap-3 text-sm sm:grid-cols-2 lg:grid-cols-4">
        <label className="flex flex-col gap-1">
          <span className="font-medium">{t('audit.filter.actor')}</span>
          <select name="actor" defaultValue={filter?.actor ?? text('actor')} className={fieldClass}>
            <option value="">{t('audit.filter.anyActor')}</option>
            {actorOptions.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="font-medium">{t('audit.filter.action')}</span>
          {/* Every action the history records (lib/audit/actions.ts); the API refuses any other. */}
          <select name="action" defaultValue={filter?.action ?? ''} className={fieldClass}>
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
          <select name="environment" defaultValue={filter?.environment ?? ''} className={fieldClass}>
            <option value="">{t('audit.filter.anyEnvironment')}</option>
            {ENVIRONMENTS.map((e) => (
              <option key={e} value={e}>
                {e}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="font-medium">{t('audit.filter.team')}</span>
          <select name="team" defaultValue={filter?.team ?? text('team')} className={fieldClass}>
            <option value="">{t('audit.filter.anyTeam')}</option>
            {teamOptions.map((tm) => (
              <option key={tm.id} value={tm.id}>
                {tm.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="font-medium">{t('audit.filter.from')}</span>
          <input type="datetime-local" step={1} name="from" defaultValue={dateValue('from')} className={fieldClass} />
        </label>
        <label className="flex flex-col gap-1">
          <span className="font-medium">{t('audit.filter.to')}</span>
          <input type="datetime-local" step={1} name="to" defaultValue={dateValue('to')} className={fieldClass} />
        </label>
        <label className="flex flex-col gap-1">
          <span className="font-medium">{t('audit.filter.request')}</span>
          <input name="request" defaultValue={text('request')} autoComplete="off" className={`${fieldClass} font-mono`} />
        </label>
        <label className="flex flex-col gap-1">
          <span className="font-medium">{t('audit.filter.q')}</span>
          <input type="search" name="q" defaultValue={text('q')} placeholder={t('audit.filter.qPlaceholder')} className={fieldClass} />
        </label>
        {typeof raw.limit === 'string' ? <input type="hidden" name="limit" value={raw.limit} /> : null}
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

      {!parsed.success ? (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-danger">
          <p className="font-medium">{t('audit.invalid')}</p>
          <ul className="mt-1 list-disc pl-5">
            {parsed.error.issues.map((issue, i) => {
              const key = String(issue.path[0] ?? '');
              return <li key={i}>{`${LABELS[key] ? t(LABELS[key]) : key}: ${issue.message}`}</li>;
            })}
          </ul>
        </div>
      ) : null}

      {page ? (
        <Card>
          {can(actor, 'audit.export') ? (
            <div className="mb-3 flex flex-wrap items-center gap-3 text-sm">
              <Button asChild variant="secondary" size="sm">
                <a href={exportHref('csv')} download>
                  {t('audit.export.csv')}
                </a>
              </Button>
              <Button asChild variant="secondary" size="sm">
                <a href={exportHref('json')} download>
                  {t('audit.export.json')}
                </a>
              </Button>
              <span className="text-xs text-muted">{t('audit.export.hint')}</span>
            </div>
          ) : null}
          {page.events.length === 0 ? (
            <p className="text-sm text-muted">{t('audit.empty')}</p>
          ) : (
            <Table data-testid="audit-table">
              <thead>
                <tr>
                  <Th>{t('audit.col.time')}</Th>
                  <Th>{t('audit.col.actor')}</Th>
                  <Th>{t('audit.col.action')}</Th>
                  <Th>{t('audit.col.target')}</Th>
                  <Th>{t('audit.col.environment')}</Th>
                  <Th>{t('audit.col.change')}</Th>
                  <Th>{t('audit.col.ip')}</Th>
                </tr>
              </thead>
              <tbody>
                {page.events.map((e: AuditRow) => (
                  <tr key={e.seq} data-seq={e.seq}>
                    <Td className="whitespace-nowrap">
                      <time dateTime={e.occurredAt.toISOString()}>{when.format(e.occurredAt)}</time>
                      <span className="block text-xs text-muted">#{e.seq}</span>
                    </Td>
                    <Td>{e.actorName}</Td>
                    <Td className="font-mono text-xs">{e.action}</Td>
                    <Td className="text-xs">
                      <span className="text-muted">{e.targetType} </span>
                      {e.requestId ? (
                        <Link className="font-mono text-primary underline" href={`/requests/${encodeURIComponent(e.requestId)}`}>
                          {e.targetId}
                        </Link>
                      ) : (
                        <span className="font-mono">{e.targetId}</span>
                      )}
                    </Td>
                    <Td>{e.environment ? <Badge tone={ENV_TONE[e.environment]}>{e.environment}</Badge> : null}</Td>
                    <Td>
                      <ChangeView before={e.before} after={e.after} t={t} />
                    </Td>
                    <Td className="font-mono text-xs" title={e.userAgent ?? undefined}>
                      {e.ip ?? '—'}
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
          {filter?.cursor || page.nextCursor ? (
            <nav aria-label={t('audit.pagination')} className="mt-3 flex gap-4 text-sm">
              {filter?.cursor ? (
                <Link className="text-primary underline" href={pageHref(null)}>
                  {t('audit.newest')}
                </Link>
              ) : null}
              {page.nextCursor ? (
                <Link className="text-primary underline" href={pageHref(page.nextCursor)} rel="next">
                  {t('audit.older')}
                </Link>
              ) : null}
            </nav>
          ) : null}
        </Card>
      ) : null}
    </div>
  );
}
