import Link from 'next/link';
import { BreakGlassBadge } from '@/components/access/status-badge';
import { Card } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { requirePermission } from '@/lib/server/auth/guards';
import { listApprovalQueue, requesterHistory } from '@/lib/server/db/repositories/requests-read';
import { formatDuration } from '@/lib/i18n/format';
import type { Locale } from '@/lib/i18n/messages';
import { getTranslator } from '@/lib/server/i18n/locale';
import { pageTitle } from '@/lib/server/i18n/metadata';

// The tab's title in the reader's language.
export const generateMetadata = pageTitle('title.approvals');

/** How long a request has waited, to the minute, in the reader's language ("2 h 5 min", "2시간 5분"). */
function age(from: Date, now: Date, locale: Locale) {
  return formatDuration(Math.max(0, Math.floor((now.getTime() - from.getTime()) / 60_000) * 60), locale);
}

export default async function ApprovalsPage() {
  const actor = await requirePermission('request.decide', '/approvals');
  const now = new Date();
  const [{ t }, queue] = await Promise.all([getTranslator(), listApprovalQueue(actor, now)]);
  const history = await requesterHistory([...new Set(queue.map((r) => r.requesterId))], now);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t('access.approvals.title')}</h1>
      <Card>
        {queue.length === 0 ? (
          <p className="text-sm text-muted">{t('access.approvals.empty')}</p>
        ) : (
          <Table data-testid="approval-queue">
            <thead>
              <tr>
                <Th>{t('access.col.age')}</Th>
                <Th>{t('access.col.requester')}</Th>
                <Th>{t('access.col.type')}</Th>
                <Th>{t('access.col.target')}</Th>
                <Th>{t('access.col.env')}</Th>
                <Th>{t('access.col.approvals')}</Th>
                <Th>{t('access.col.history')}</Th>
              </tr>
            </thead>
            <tbody>
              {queue.map((r) => {
                const h = history.get(r.requesterId) ?? {};
                return (
                  <tr key={r.id}>
                    <Td>
                      <Link className="text-primary underline" href={`/requests/${r.id}`}>
                        {age(r.createdAt, now, t.locale)}
                      </Link>
                    </Td>
                    <Td>{r.requesterName}</Td>
                    <Td>
                      {t(`access.type.${r.type}`)} {r.breakGlass ? <BreakGlassBadge t={t} /> : null}
                    </Td>
                    <Td className="font-mono text-xs">{r.target}</Td>
                    <Td>{t(`access.env.${r.environment}`)}</Td>
                    <Td>
                      {r.approvals}/{r.approvalsRequired}
                    </Td>
                    <Td className="text-xs text-muted">
                      {(['APPROVED', 'ACTIVE', 'ENDED', 'REJECTED', 'PENDING'] as const)
                        .filter((s) => h[s])
                        .map((s) => `${t(`access.status.${s}`)} ${h[s]}`)
                        .join(' · ') || '—'}
                    </Td>
                  </tr>
                );
              })}
            </tbody>
          </Table>
        )}
      </Card>
    </div>
  );
}
