import type { Metadata } from 'next';
import Link from 'next/link';
import { AwsAccount } from '@/components/cloud/aws-account';
import { LocalTime } from '@/components/deployments/local-time';
import { DeploymentResultCell } from '@/components/deployments/deployment-result';
import { DeploymentStatusBadge } from '@/components/deployments/status-badge';
import { Card } from '@/components/ui/card';
import { DataTable, type DataTableRow } from '@/components/ui/data-table';
import { PAGE_TABLE_PREFIX } from '@/components/ui/table-url';
import { describeSummary } from '@/lib/deployments/diff';
import { deploymentResult } from '@/lib/deployments/result';
import { ENVIRONMENT_SLUGS, environmentOf, environmentSlugOf } from '@/lib/environments';
import { shortRevision } from '@/lib/deployments/revision';
import { historyQuerySchema } from '@/lib/deployments/schemas';
import { accountsByEnvironment } from '@/lib/server/cloud/account';
import { requirePermission } from '@/lib/server/auth/guards';
import { listDeploymentHistory } from '@/lib/server/db/repositories/deployments';
import { getTranslator } from '@/lib/server/i18n/locale';

export const metadata: Metadata = { title: 'Deployment history' };

export default async function DeploymentHistoryPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePermission('deploy.read', '/deployments/history');
  const raw = Object.fromEntries(Object.entries(await searchParams).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const q = historyQuerySchema.parse({ ...raw, format: 'json', limit: raw.limit ?? '200' });
  const [{ t }, rows, accounts] = await Promise.all([
    getTranslator(),
    listDeploymentHistory({ environment: q.environment ? environmentOf(q.environment) : undefined, limit: q.limit }),
    accountsByEnvironment(),
  ]);
  const statuses = [...new Set(rows.map((r) => r.status))];
  const csv = `/api/v1/deployments/history?format=csv${q.environment ? `&environment=${q.environment}` : ''}`;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <Link href="/deployments" className="text-sm text-primary underline">
            {t('deploy.back')}
          </Link>
          <h1 className="mt-2 text-2xl font-bold">{t('deploy.history.title')}</h1>
          <p className="text-muted">{t('deploy.history.intro')}</p>
        </div>
        <a href={csv} className="text-sm text-primary underline" download>
          {t('deploy.history.csv')}
        </a>
      </div>
      <nav aria-label={t('deploy.history.filter')} className="flex gap-3 text-sm">
        <Link
          href="/deployments/history"
          aria-current={!q.environment ? 'page' : undefined}
          className={!q.environment ? 'font-semibold' : 'text-primary underline'}
        >
          {t('deploy.history.all')}
        </Link>
        {ENVIRONMENT_SLUGS.map((e) => (
          <Link
            key={e}
            href={`/deployments/history?environment=${e}`}
            aria-current={q.environment === e ? 'page' : undefined}
            className={q.environment === e ? 'font-semibold' : 'text-primary underline'}
          >
            {t(`deploy.env.${e}`)}
          </Link>
        ))}
      </nav>
      <Card>
        {rows.length === 0 ? (
          <p className="text-sm text-muted">{t('deploy.history.empty')}</p>
        ) : (
          <DataTable
            data-testid="deployment-history"
            urlPrefix={PAGE_TABLE_PREFIX}
            caption={t('deploy.history.title')}
            columns={[
              { id: 'planned', header: t('deploy.history.planned'), className: 'whitespace-nowrap text-xs' },
              { id: 'environment', header: t('deploy.history.environment') },
              { id: 'status', header: t('deploy.status'), facet: statuses.map((st) => ({ value: st, label: t(`deploy.status.${st}`) })) },
              { id: 'approved', header: t('deploy.history.approved'), className: 'text-xs' },
              { id: 'executed', header: t('deploy.history.executed'), className: 'text-xs' },
              { id: 'revision', header: t('deploy.history.revision') },
              { id: 'release', header: t('deploy.history.release'), className: 'font-mono text-xs' },
              { id: 'changes', header: t('deploy.history.changes'), sortable: false, className: 'text-xs' },
              { id: 'result', header: t('deploy.history.result'), className: 'max-w-xs break-words text-xs' },
            ]}
            rows={rows.map((r): DataTableRow => ({
              id: r.id,
              attrs: { 'data-deployment-id': r.id },
              values: {
                planned: r.plannedAt.getTime(),
                environment: r.environment,
                status: r.status,
                approved: r.approvals.map((a) => a.name).join(', '),
                executed: r.executedAt?.getTime() ?? null,
                revision: r.templateRevision,
                release: r.releaseId,
                result: deploymentResult(r)?.kind ?? null,
              },
              search: [r.plannedBy, r.executedBy ?? '', t(`deploy.status.${r.status}`)].join(' '),
              cells: {
                planned: (
                  <>
                    <Link href={`/deployments/${r.id}`} className="text-primary underline">
                      <LocalTime iso={r.plannedAt.toISOString()} withSeconds={false} />
                    </Link>
                    <div>{r.plannedBy}</div>
                  </>
                ),
                environment: (
                  <>
                    {t(`deploy.env.${environmentSlugOf(r.environment)}`)}
                    <div>
                      <AwsAccount account={accounts[r.environment]} />
                    </div>
                  </>
                ),
                status: <DeploymentStatusBadge status={r.status} t={t} />,
                approved: r.approvals.length
                  ? r.approvals.map((a) => (
                      <div key={a.name + a.at.toISOString()}>
                        {a.kind === 'APPROVE' ? '✓' : '✗'} {a.name}
                      </div>
                    ))
                  : '—',
                executed: r.executedBy ? (
                  <>
                    <div>{r.executedBy}</div>
                    {r.executedAt ? <LocalTime iso={r.executedAt.toISOString()} withSeconds={false} /> : null}
                  </>
                ) : (
                  '—'
                ),
                revision: (
                  <>
                    <code className="text-xs" title={r.templateRevision}>
                      {shortRevision(r.templateRevision)}
                    </code>
                    {Object.keys(r.overrides).length ? (
                      <div className="font-mono text-xs text-muted">
                        {Object.entries(r.overrides)
                          .map(([k, v]) => `${k}=${v}`)
                          .join(', ')}
                      </div>
                    ) : null}
                  </>
                ),
                release: <span data-testid="deployment-release">{r.releaseId ?? '—'}</span>,
                changes: r.summary ? describeSummary(r.summary) : '—',
                result: <DeploymentResultCell result={deploymentResult(r)} t={t} />,
              },
            }))}
          />
        )}
      </Card>
    </div>
  );
}
