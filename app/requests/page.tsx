import Link from 'next/link';
import { BreakGlassBadge, StatusBadge } from '@/components/access/status-badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Field, Select } from '@/components/ui/field';
import { FilterForm } from '@/components/ui/filter-form';
import { FormError } from '@/components/ui/form-error';
import { DataTable, type DataTableRow } from '@/components/ui/data-table';
import { MiddleTruncate } from '@/components/ui/middle-truncate';
import { REQUEST_STATUSES, REQUEST_TYPES } from '@/lib/access/model';
import { ENVIRONMENTS } from '@/lib/environments';
import { listRequestsSchema } from '@/lib/access/schemas';
import { requirePermission } from '@/lib/server/auth/guards';
import { can } from '@/lib/server/auth/permissions';
import { listRequests } from '@/lib/server/db/repositories/requests-read';
import { instantFormat } from '@/lib/i18n/format';
import { getTranslator } from '@/lib/server/i18n/locale';
import { pageTitle } from '@/lib/server/i18n/metadata';

/** Filter controls are denser than a form's. */
const compact = 'w-auto px-2 py-1.5';

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
      {!parsed.success ? <FormError compact>{parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}</FormError> : null}
      <FilterForm action="/requests" label={t('access.requests.filter')} applyLabel={t('access.requests.filter')}>
        {can(actor, 'request.list.all') ? (
          <Field id="requests-scope" label={t('access.requests.title')}>
            <Select name="scope" defaultValue={filter.scope} className={compact}>
              <option value="mine">{t('access.requests.mine')}</option>
              <option value="all">{t('access.requests.all')}</option>
            </Select>
          </Field>
        ) : null}
        <Field id="requests-status" label={t('access.col.status')}>
          <Select name="status" defaultValue={filter.status ?? ''} className={compact}>
            <option value="">{t('access.requests.anyStatus')}</option>
            {REQUEST_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`access.status.${s}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="requests-type" label={t('access.col.type')}>
          <Select name="type" defaultValue={filter.type ?? ''} className={compact}>
            <option value="">{t('access.requests.anyType')}</option>
            {REQUEST_TYPES.map((x) => (
              <option key={x} value={x}>
                {t(`access.type.${x}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="requests-environment" label={t('access.col.env')}>
          <Select name="environment" defaultValue={filter.environment ?? ''} className={compact}>
            <option value="">{t('access.requests.anyEnv')}</option>
            {ENVIRONMENTS.map((e) => (
              <option key={e} value={e}>
                {t(`access.env.${e}`)}
              </option>
            ))}
          </Select>
        </Field>
      </FilterForm>
      <Card>
        {requests.length === 0 ? (
          <p className="text-sm text-muted">{t('access.requests.empty')}</p>
        ) : (
          // One server page at a time (keyset cursor): the table sorts and searches the page it has.
          <DataTable
            data-testid="requests-table"
            scope="page"
            caption={all ? t('access.requests.all') : t('access.requests.mine')}
            columns={[
              { id: 'created', header: t('access.col.created'), className: 'whitespace-nowrap' },
              { id: 'type', header: t('access.col.type') },
              { id: 'target', header: t('access.col.target'), className: 'whitespace-nowrap font-mono text-xs' },
              { id: 'env', header: t('access.col.env') },
              ...(all ? [{ id: 'requester', header: t('access.col.requester'), className: 'whitespace-nowrap' }] : []),
              { id: 'status', header: t('access.col.status') },
              { id: 'approvals', header: t('access.col.approvals') },
            ]}
            rows={requests.map((r): DataTableRow => ({
              id: r.id,
              values: {
                created: r.createdAt.getTime(),
                type: t(`access.type.${r.type}`),
                target: r.target,
                env: t(`access.env.${r.environment}`),
                requester: r.requesterName,
                status: t(`access.status.${r.status}`),
                approvals: r.approvals,
              },
              cells: {
                created: (
                  <Link className="text-primary underline" href={`/requests/${r.id}`}>
                    {when.format(r.createdAt)}
                  </Link>
                ),
                type: t(`access.type.${r.type}`),
                target: <MiddleTruncate text={r.target} max={40} />,
                env: t(`access.env.${r.environment}`),
                requester: r.requesterName,
                status: (
                  <span className="flex flex-wrap gap-1">
                    <StatusBadge status={r.status} t={t} />
                    {r.breakGlass ? <BreakGlassBadge t={t} /> : null}
                  </span>
                ),
                approvals: `${r.approvals}/${r.approvalsRequired}`,
              },
            }))}
          />
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
