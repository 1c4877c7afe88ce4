import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { DataTable, type DataTableRow } from '@/components/ui/data-table';
import type { Environment } from '@/lib/environments';
import type { Translate } from '@/lib/i18n/messages';

const ENV_TONE = { DEV: 'neutral', STAGING: 'warn', PROD: 'danger' } as const;

/** The fields of an audit event the history shows. */
export interface AuditEventRow {
  seq: number;
  occurredAt: Date;
  actorName: string;
  action: string;
  targetType: string;
  targetId: string;
  requestId: string | null;
  environment: Environment | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  userAgent: string | null;
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

function ExportLinks({ hrefs, t }: { hrefs: { csv: string; json: string }; t: Translate }) {
  return (
    <div className="mb-3 flex flex-wrap items-center gap-3 text-sm">
      <Button asChild variant="secondary" size="sm">
        <a href={hrefs.csv} download>
          {t('audit.export.csv')}
        </a>
      </Button>
      <Button asChild variant="secondary" size="sm">
        <a href={hrefs.json} download>
          {t('audit.export.json')}
        </a>
      </Button>
      <span className="text-xs text-muted">{t('audit.export.hint')}</span>
    </div>
  );
}

function eventRow(e: AuditEventRow, when: Intl.DateTimeFormat, t: Translate): DataTableRow {
  return {
    id: String(e.seq),
    attrs: { 'data-seq': String(e.seq) },
    values: {
      time: e.seq,
      actor: e.actorName,
      action: e.action,
      target: `${e.targetType} ${e.targetId}`,
      environment: e.environment,
      ip: e.ip,
    },
    search: [JSON.stringify(e.before), JSON.stringify(e.after)].join(' '),
    cells: {
      time: (
        <>
          <time dateTime={e.occurredAt.toISOString()}>{when.format(e.occurredAt)}</time>
          <span className="block text-xs text-muted">#{e.seq}</span>
        </>
      ),
      actor: e.actorName,
      action: <span className="font-mono text-xs">{e.action}</span>,
      target: (
        <span className="text-xs">
          <span className="text-muted">{e.targetType} </span>
          {e.requestId ? (
            <Link className="font-mono text-primary underline" href={`/requests/${encodeURIComponent(e.requestId)}`}>
              {e.targetId}
            </Link>
          ) : (
            <span className="font-mono">{e.targetId}</span>
          )}
        </span>
      ),
      environment: e.environment ? <Badge tone={ENV_TONE[e.environment]}>{e.environment}</Badge> : null,
      change: <ChangeView before={e.before} after={e.after} t={t} />,
      ip: (
        <span className="font-mono text-xs" title={e.userAgent ?? undefined}>
          {e.ip ?? '—'}
        </span>
      ),
    },
  };
}

/**
 * One page of the audit history: export links (when `exportHrefs` is given), the events, and links
 * to the newest and the next older page.
 */
export function AuditEvents({
  events,
  when,
  t,
  exportHrefs,
  newestHref,
  olderHref,
}: {
  events: AuditEventRow[];
  when: Intl.DateTimeFormat;
  t: Translate;
  exportHrefs: { csv: string; json: string } | null;
  newestHref: string | null;
  olderHref: string | null;
}) {
  return (
    <Card>
      {exportHrefs ? <ExportLinks hrefs={exportHrefs} t={t} /> : null}
      {events.length === 0 ? (
        <p className="text-sm text-muted">{t('audit.empty')}</p>
      ) : (
        // One server page (cursor): sorting and searching apply to the events on it.
        <DataTable
          data-testid="audit-table"
          scope="page"
          caption={t('audit.title')}
          columns={[
            { id: 'time', header: t('audit.col.time'), className: 'whitespace-nowrap' },
            { id: 'actor', header: t('audit.col.actor') },
            { id: 'action', header: t('audit.col.action') },
            { id: 'target', header: t('audit.col.target') },
            { id: 'environment', header: t('audit.col.environment') },
            { id: 'change', header: t('audit.col.change'), sortable: false },
            { id: 'ip', header: t('audit.col.ip') },
          ]}
          rows={events.map((e) => eventRow(e, when, t))}
        />
      )}
      {newestHref || olderHref ? (
        <nav aria-label={t('audit.pagination')} className="mt-3 flex gap-4 text-sm">
          {newestHref ? (
            <Link className="text-primary underline" href={newestHref}>
              {t('audit.newest')}
            </Link>
          ) : null}
          {olderHref ? (
            <Link className="text-primary underline" href={olderHref} rel="next">
              {t('audit.older')}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </Card>
  );
}
