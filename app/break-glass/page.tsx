import Link from 'next/link';
import { reviewBreakGlassAction } from '@/app/requests/actions';
import { BreakGlassOutcome } from '@/components/access/break-glass-outcome';
import { BreakGlassReview } from '@/components/access/break-glass-review';
import { StatusBadge } from '@/components/access/status-badge';
import { Card } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { requirePermission } from '@/lib/server/auth/guards';
import { listBreakGlass } from '@/lib/server/db/repositories/requests-read';
import { instantFormat } from '@/lib/i18n/format';
import { getTranslator } from '@/lib/server/i18n/locale';
import { pageTitle } from '@/lib/server/i18n/metadata';

// The tab's title in the reader's language.
export const generateMetadata = pageTitle('title.breakGlass');

export default async function BreakGlassPage() {
  const actor = await requirePermission('break_glass.review', '/break-glass');
  const [{ t, locale, zone }, uses] = await Promise.all([getTranslator(), listBreakGlass()]);
  const when = instantFormat(locale, zone);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t('access.breakglass.title')}</h1>
      <Card>
        {uses.length === 0 ? (
          <p className="text-sm text-muted">{t('access.breakglass.empty')}</p>
        ) : (
          <Table data-testid="break-glass-queue">
            <thead>
              <tr>
                <Th>{t('access.col.created')}</Th>
                <Th>{t('access.col.requester')}</Th>
                <Th>{t('access.col.target')}</Th>
                <Th>{t('access.breakglass.reason')}</Th>
                <Th>{t('access.col.status')}</Th>
                <Th>{t('access.breakglass.review')}</Th>
              </tr>
            </thead>
            <tbody>
              {uses.map((r) => (
                <tr key={r.id} data-request-id={r.id}>
                  <Td>
                    <Link className="text-primary underline" href={`/requests/${r.id}`}>
                      {when.format(r.createdAt)}
                    </Link>
                  </Td>
                  <Td>{r.requesterName}</Td>
                  <Td className="font-mono text-xs">{r.target}</Td>
                  <Td className="max-w-xs whitespace-pre-wrap">{r.breakGlassReason}</Td>
                  <Td>
                    <StatusBadge status={r.status} t={t} />
                  </Td>
                  <Td>
                    {r.breakGlassReview ? (
                      <BreakGlassOutcome review={r.breakGlassReview} when={(d) => when.format(d)} t={t} />
                    ) : r.requesterId === actor.id ? (
                      <span className="text-muted">{t('access.breakglass.unreviewed')}</span>
                    ) : (
                      <BreakGlassReview requestId={r.id} review={reviewBreakGlassAction} />
                    )}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </div>
  );
}
