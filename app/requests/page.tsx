import Link from 'next/link';
import { BreakGlassBadge, StatusBadge } from '@/components/access/status-badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { REQUEST_STATUSES, REQUEST_TYPES } from '@/lib/access/model';
import { ENVIRONMENTS } from '@/lib/environments';
import { listRequestsSchema } from '@/lib/access/schemas';
import { requirePermission } from '@/lib/server/auth/guards';
import { can } from '@/lib/server/auth/permissions';
import { listRequests } from '@/lib/server/db/repositories/requests-read';
import { instantFormat } from '@/lib/i18n/format';
import { getTranslator } from '@/lib/server/i18n/locale';
import { pageTitle } from '@/lib/server/i18n/metadata';

// The tab's title in the reader's language.
export const generateMetadata = pageTitle('title.requests');

export default async function RequestsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePermission('request.read', '/requests');
  const { t, locale, zone } = await getTranslator();
  const raw = await searchParams;
  const parsed = listRequestsSchema.safeParse(raw);
  const filter = parsed.success ? parsed.data : listRequestsSchema.parse({});
  const all = filter.scope === 'all' && can(actor, 'request.list.all');
  const { requests, nextCursor } = await listRequests(filter, all ? null : actor.id);
  const when = instantFormat(locale, zone);
  const query = (extra: Record<string, string>) => {
    const params = new URLSearchParams();
    for (const key of ['scope', 'status', 'type', 'environment'] as const) {
      const value = filter[key];
      if (value && !(key === 'scope' && value === 'mine')) params.set(key, value);
    }
    for (const [k, v] of Object.entries(extra)) params.set(k, v);
    return `/requests?${params}`;
  };
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold">{all ? t('access.requests.all') : t('access.requests.mine')}</h1>
        <Button asChild>
          <Link href="/requests/new">{t('access.requests.new')}</Link>
        </Button>
      </div>
      {!parsed.success ? (
        <p role="alert" className="text-sm text-danger">
          {parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}
        </p>
      ) : null}
      <form method="get" className="flex flex-wrap items-end gap-3 text-sm" aria-label={t('access.requests.filter')}>
        {can(actor, 'request.list.all') ? (
          <select
            name="scope"
            defaultValue={filter.scope}
            aria-label={t('access.requests.title')}
            className="rounded-md border border-border bg-surface px-2 py-1.5"
          >
            <option value="mine">{t('access.requests.mine')}</option>
            <option value="all">{t('access.requests.all')}</option>
          </select>
        ) : null}
        <select
          name="status"
          defaultValue={filter.status ?? ''}
          aria-label={t('access.col.status')}
          className="rounded-md border border-border bg-surface px-2 py-1.5"
        >
          <option value="">{t('access.requests.anyStatus')}</option>
          {REQUEST_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`access.status.${s}`)}
            </option>
          ))}
        </select>
        <select
          name="type"
          defaultValue={filter.type ?? ''}
          aria-label={t('access.col.type')}
          className="rounded-md border border-border bg-surface px-2 py-1.5"
        >
          <option value="">{t('access.requests.anyType')}</option>
          {REQUEST_TYPES.map((x) => (
            <option key={x} value={x}>
              {t(`access.type.${x}`)}
            </option>
          ))}
        </select>
        <select
          name="environment"
          defaultValue={filter.environment ?? ''}
          aria-label={t('access.col.env')}
          className="rounded-md border border-border bg-surface px-2 py-1.5"
        >
          <option value="">{t('access.requests.anyEnv')}</option>
          {ENVIRONMENTS.map((e) => (
            <option key={e} value={e}>
              {t(`access.env.${e}`)}
            </option>
          ))}
        </select>
        <Button type="submit" variant="secondary" size="sm">
          {t('access.requests.filter')}
        </Button>
      </form>
      <Card>
        {requests.length === 0 ? (
          <p className="text-sm text-muted">{t('access.requests.empty')}</p>
        ) : (
          <Table data-testid="requests-table">
            <thead>
              <tr>
                <Th>{t('access.col.created')}</Th>
                <Th>{t('access.col.type')}</Th>
                <Th>{t('access.col.target')}</Th>
                <Th>{t('access.col.env')}</Th>
                {all ? <Th>{t('access.col.requester')}</Th> : null}
                <Th>{t('access.col.status')}</Th>
                <Th>{t('access.col.approvals')}</Th>
              </tr>
            </thead>
            <tbody>
              {requests.map((r) => (
                <tr key={r.id}>
                  <Td>
                    <Link className="text-primary underline" href={`/requests/${r.id}`}>
                      {when.format(r.createdAt)}
                    </Link>
                  </Td>
                  <Td>{t(`access.type.${r.type}`)}</Td>
                  <Td className="font-mono text-xs">{r.target}</Td>
                  <Td>{t(`access.env.${r.environment}`)}</Td>
                  {all ? <Td>{r.requesterName}</Td> : null}
                  <Td>
                    <span className="flex flex-wrap gap-1">
                      <StatusBadge status={r.status} t={t} />
                      {r.breakGlass ? <BreakGlassBadge t={t} /> : null}
                    </span>
                  </Td>
                  <Td>
                    {r.approvals}/{r.approvalsRequired}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        {nextCursor ? (
          <Link className="mt-3 inline-block text-sm text-primary underline" href={query({ cursor: nextCursor })}>
            {t('access.requests.older')} →
          </Link>
        ) : null}
      </Card>
    </div>
  );
}
