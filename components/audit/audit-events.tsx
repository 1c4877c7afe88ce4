import type { InstantFormat } from '@/lib/i18n/format';
import Link from 'next/link';
import { ChangeView, eventLabel, TargetLink, type AuditTargetNames } from '@/components/audit/event-parts';
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

/** The row of one event: cells in the reader's words, plain values for sorting and the search box. */
function eventRow(e: AuditEventRow, when: InstantFormat, t: Translate, names: AuditTargetNames, zone: string): DataTableRow {
  const target =
    (e.targetType === 'grant' || e.targetType === 'request') && e.requestId ? names[`request:${e.requestId}`] : names[`${e.targetType}:${e.targetId}`];
  return {
    id: String(e.seq),
    attrs: { 'data-seq': String(e.seq) },
    values: {
      time: e.seq,
      actor: e.actorName,
      action: eventLabel(e.action, t),
      target: [e.targetType, target, e.targetId].filter(Boolean).join(' '),
      environment: e.environment,
      ip: e.ip,
    },
    search: [e.action, JSON.stringify(e.before), JSON.stringify(e.after)].join(' '),
    cells: {
      time: (
        <>
          <time dateTime={e.occurredAt.toISOString()}>{when.format(e.occurredAt)}</time>
          <span className="block text-xs text-muted">#{e.seq}</span>
        </>
      ),
      actor: e.actorName,
      action: (
        <span className="text-sm" title={e.action}>
          {eventLabel(e.action, t)}
        </span>
      ),
      target: <TargetLink type={e.targetType} id={e.targetId} requestId={e.requestId} names={names} t={t} />,
      environment: e.environment ? <Badge tone={ENV_TONE[e.environment]}>{t(`access.env.${e.environment}`)}</Badge> : null,
      change: <ChangeView before={e.before} after={e.after} t={t} zone={zone} />,
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
  zone,
  names,
  t,
  exportHrefs,
  newestHref,
  olderHref,
}: {
  events: AuditEventRow[];
  when: InstantFormat;
  /** The reader's zone, for times inside changes. */
  zone: string;
  /** Readable names of the targets (lib/server/db/repositories/audit.ts). */
  names: AuditTargetNames;
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
          rows={events.map((e) => eventRow(e, when, t, names, zone))}
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
