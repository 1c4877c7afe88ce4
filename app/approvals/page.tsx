import Link from 'next/link';
import { BreakGlassBadge } from '@/components/access/status-badge';
import { Card } from '@/components/ui/card';
import { DataTable, type DataTableRow } from '@/components/ui/data-table';
import { MiddleTruncate } from '@/components/ui/middle-truncate';
import { REQUEST_TYPES } from '@/lib/access/model';
import { ENVIRONMENTS } from '@/lib/environments';
import { requirePermission } from '@/lib/server/auth/guards';
import { APPROVAL_QUEUE_MAX, listApprovalQueue, requesterHistory } from '@/lib/server/db/repositories/requests-read';
import { navCounts } from '@/lib/server/nav-counts';
import { formatDuration, instantFormat } from '@/lib/i18n/format';
import type { Locale } from '@/lib/i18n/messages';
import { getTranslator } from '@/lib/server/i18n/locale';
import { pageTitle } from '@/lib/server/i18n/metadata';

// The tab's title in the reader's language.
export const generateMetadata = pageTitle('title.approvals');

/** How long a request has waited, to the minute, in the reader's language ("2 h 5 min", "2시간 5분"). */
function age(from: Date, now: Date, locale: Locale) {
  return formatDuration(Math.max(0, Math.floor((now.getTime() - from.getTime()) / 60_000) * 60), locale);
}

/**
 * The page shows the oldest STEP requests, STEP more per "show more", up to the queue's maximum:
 * a page of 200 rows weighed 650 kB and took 130 ms to render (issue 20), and approvers work from
 * the oldest.
 */
const STEP = 50;

export default async function ApprovalsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePermission('request.decide', '/approvals');
  const now = new Date();
  const requested = Number((await searchParams).show);
  const shown = Number.isInteger(requested) && requested > STEP ? Math.min(Math.ceil(requested / STEP) * STEP, APPROVAL_QUEUE_MAX) : STEP;
  const [{ t, locale, zone }, queue, counts] = await Promise.all([getTranslator(), listApprovalQueue(actor, now, undefined, shown), navCounts(actor)]);
  const when = instantFormat(locale, zone, 'date');
  const history = await requesterHistory([...new Set(queue.map((r) => r.requesterId))], now);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t('access.approvals.title')}</h1>
      <Card>
        {queue.length === 0 ? (
          <p className="text-sm text-muted">{t('access.approvals.empty')}</p>
        ) : (
          <DataTable
            data-testid="approval-queue"
            caption={t('access.approvals.title')}
            columns={[
              { id: 'age', header: t('access.col.age'), className: 'whitespace-nowrap' },
              { id: 'requester', header: t('access.col.requester'), facet: true, className: 'whitespace-nowrap' },
              { id: 'type', header: t('access.col.type'), facet: REQUEST_TYPES.map((x) => ({ value: x, label: t(`access.type.${x}`) })) },
              { id: 'target', header: t('access.col.target'), className: 'whitespace-nowrap font-mono text-xs' },
              { id: 'env', header: t('access.col.env'), facet: ENVIRONMENTS.map((e) => ({ value: e, label: t(`access.env.${e}`) })) },
              { id: 'justification', header: t('tables.approvals.justification'), className: 'min-w-64 max-w-md' },
              { id: 'approvals', header: t('access.col.approvals') },
              { id: 'history', header: t('access.col.history'), className: 'min-w-48 text-xs text-muted' },
            ]}
            rows={queue.map((r): DataTableRow => {
              const h = history.get(r.requesterId);
              return {
                id: r.id,
                attrs: { 'data-request': r.id },
                // Oldest first is the queue's order; the age sorts the same way.
                values: {
                  age: -r.createdAt.getTime(),
                  requester: r.requesterName,
                  type: r.type,
                  target: r.target,
                  env: r.environment,
                  justification: r.justification,
                  approvals: r.approvals,
                  history: h?.total ?? 0,
                },
                search: r.breakGlassReason ?? '',
                cells: {
                  age: (
                    <Link className="text-primary underline" href={`/requests/${r.id}`}>
                      {age(r.createdAt, now, locale)}
                    </Link>
                  ),
                  requester: r.requesterName,
                  type: (
                    <>
                      {t(`access.type.${r.type}`)} {r.breakGlass ? <BreakGlassBadge t={t} /> : null}
                    </>
                  ),
                  target: <MiddleTruncate text={r.target} max={40} />,
                  env: t(`access.env.${r.environment}`),
                  justification: (
                    <p className="whitespace-pre-line break-words" data-testid="approval-justification">
                      {r.justification}
                    </p>
                  ),
                  approvals: `${r.approvals}/${r.approvalsRequired}`,
                  history: (
                    <span data-testid="requester-history">
                      {h && h.total > 0
                        ? t(h.capped ? 'tables.approvals.historyCapped' : 'tables.approvals.history', {
                            total: h.total,
                            approved: h.approved,
                            rejected: h.rejected,
                          })
                        : t('tables.approvals.noHistory')}
                      {h?.lastGrantAt ? <span className="block">{t('tables.approvals.lastGrant', { date: when.format(h.lastGrantAt) })}</span> : null}
                    </span>
                  ),
                },
              };
            })}
          />
        )}
        {queue.length >= shown ? (
          <p className="mt-3 text-sm text-muted" data-testid="approvals-more">
            {t('tables.approvals.shown', { shown: queue.length, total: Math.max(counts.approvals ?? 0, queue.length) })}{' '}
            {shown < APPROVAL_QUEUE_MAX ? (
              <Link className="text-primary underline" href={`/approvals?show=${shown + STEP}`}>
                {t('tables.approvals.showMore', { step: STEP })}
              </Link>
            ) : null}
          </p>
        ) : null}
      </Card>
    </div>
  );
}
