import type { InstantFormat } from '@/lib/i18n/format';
import Link from 'next/link';
import { ChangeView, eventLabel, TargetLink, type AuditTargetNames } from '@/components/audit/event-parts';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
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

function EventRow({ e, when, t, names, zone }: { e: AuditEventRow; when: InstantFormat; t: Translate; names: AuditTargetNames; zone: string }) {
  return (
    <tr data-seq={e.seq}>
      <Td className="whitespace-nowrap">
        <time dateTime={e.occurredAt.toISOString()}>{when.format(e.occurredAt)}</time>
        <span className="block text-xs text-muted">#{e.seq}</span>
      </Td>
      <Td>{e.actorName}</Td>
      <Td className="text-sm" title={e.action}>
        {eventLabel(e.action, t)}
      </Td>
      <Td>
        <TargetLink type={e.targetType} id={e.targetId} requestId={e.requestId} names={names} t={t} />
      </Td>
      <Td>{e.environment ? <Badge tone={ENV_TONE[e.environment]}>{t(`access.env.${e.environment}`)}</Badge> : null}</Td>
      <Td>
        <ChangeView before={e.before} after={e.after} t={t} zone={zone} />
      </Td>
      <Td className="font-mono text-xs" title={e.userAgent ?? undefined}>
        {e.ip ?? '—'}
      </Td>
    </tr>
  );
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
            {events.map((e) => (
              <EventRow key={e.seq} e={e} when={when} t={t} names={names} zone={zone} />
            ))}
          </tbody>
        </Table>
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
