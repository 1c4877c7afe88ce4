import Link from 'next/link';
import { notFound } from 'next/navigation';
import { decideDeploymentAction, executeDeploymentAction } from '@/app/deployments/actions';
import { AwsAccount } from '@/components/cloud/aws-account';
import { ChangeDiff } from '@/components/deployments/change-diff';
import { codeChangeText } from '@/components/deployments/releases-table';
import { DeploymentApprovals } from '@/components/deployments/deployment-approvals';
import { DeploymentLive } from '@/components/deployments/deployment-live';
import { QueryProvider } from '@/components/query-provider';
import { Time } from '@/components/time';
import { DeploymentStatusBadge } from '@/components/deployments/status-badge';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { Table, Td } from '@/components/ui/table';
import { deploymentIdSchema } from '@/lib/deployments/schemas';
import { mayDecide } from '@/lib/deployments/rules';
import { shortRevision } from '@/lib/deployments/revision';
import { requirePermission } from '@/lib/server/auth/guards';
import { accountsByEnvironment } from '@/lib/server/cloud/account';
import { can } from '@/lib/server/auth/permissions';
import { loadLiveDeployment } from '@/lib/server/deployments/queries';
import { getTranslator } from '@/lib/server/i18n/locale';
import { pageTitle } from '@/lib/server/i18n/metadata';

// The tab's title in the reader's language.
export const generateMetadata = pageTitle('title.deployment');

export default async function DeploymentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requirePermission('deploy.read', `/deployments/${encodeURIComponent(id)}`);
  const loaded = deploymentIdSchema.safeParse(id).success ? await loadLiveDeployment(id) : null;
  if (!loaded) notFound();
  const { view: d, live } = loaded;
  const [{ t }, accounts] = await Promise.all([getTranslator(), accountsByEnvironment()]);
  const envLabel = t(`deploy.env.${live.environment}`);
  const overrides = Object.entries(d.overrides);
  return (
    <div className="space-y-6">
      <div>
        <Link href="/deployments" className="text-sm text-primary underline">
          {t('deploy.back')}
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-bold">{t('deploy.detail.title', { env: envLabel, stack: d.stackName })}</h1>
          <DeploymentStatusBadge status={d.status} t={t} />
          <Badge tone="neutral">{t(d.changeSetType === 'CREATE' ? 'deploy.detail.create' : 'deploy.detail.update')}</Badge>
          <AwsAccount account={accounts[d.environment]} />
        </div>
      </div>
      <QueryProvider>
        <DeploymentLive initial={live} />
      </QueryProvider>
      <div className="grid gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <dl className="grid grid-cols-[fit-content(40%)_minmax(0,1fr)] gap-x-4 [overflow-wrap:anywhere] gap-y-2 text-sm">
            <dt className="text-muted">{t('deploy.detail.plannedBy')}</dt>
            <dd>
              {d.plannedBy.name} · <Time value={live.plannedAt} seconds />
            </dd>
            {d.executedBy ? (
              <>
                <dt className="text-muted">{t('deploy.detail.executedBy')}</dt>
                <dd>
                  {d.executedBy.name}
                  {live.executedAt ? (
                    <>
                      {' '}
                      · <Time value={live.executedAt} seconds />
                    </>
                  ) : null}
                </dd>
              </>
            ) : null}
            {live.finishedAt ? (
              <>
                <dt className="text-muted">{t('deploy.detail.finishedAt')}</dt>
                <dd>
                  <Time value={live.finishedAt} seconds />
                </dd>
              </>
            ) : null}
            <dt className="text-muted">{t('deploy.detail.revision')}</dt>
            <dd>
              <code className="text-xs" title={d.templateRevision}>
                {shortRevision(d.templateRevision)}
              </code>
            </dd>
            {d.releaseId ? (
              <>
                <dt className="text-muted">{t('deploy.detail.release')}</dt>
                <dd className="font-mono text-xs">{d.releaseId}</dd>
              </>
            ) : null}
            {d.codeChanges ? (
              <>
                <dt className="text-muted">{t('deploy.detail.code')}</dt>
                <dd>
                  <ul className="font-mono text-xs" data-testid="code-changes">
                    {d.codeChanges.map((c) => (
                      <li key={c.name}>{codeChangeText(c, t)}</li>
                    ))}
                  </ul>
                </dd>
              </>
            ) : null}
            {d.parameterChanges ? (
              <>
                <dt className="text-muted">{t('deploy.detail.parameterChanges')}</dt>
                <dd>
                  {d.parameterChanges.length ? (
                    <ul className="break-all font-mono text-xs" data-testid="parameter-changes">
                      {d.parameterChanges.map((c) => (
                        <li key={c.name} data-parameter={c.name}>
                          {t('deploy.detail.parameterChange', { name: c.name, from: c.from ?? '—', to: c.to ?? '—' })}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <span className="text-xs">{t('deploy.detail.noParameterChanges')}</span>
                  )}
                </dd>
              </>
            ) : null}
            <dt className="text-muted">{t('deploy.detail.changeSet')}</dt>
            <dd className="break-all font-mono text-xs">{d.changeSetId}</dd>
            <dt className="text-muted">{t('deploy.detail.overrides')}</dt>
            <dd className="font-mono text-xs">{overrides.length ? overrides.map(([k, v]) => `${k}=${v}`).join(', ') : t('deploy.detail.noOverrides')}</dd>
            {d.sandboxFailResource ? (
              <>
                <dt />
                <dd className="text-violet-800">{t('deploy.detail.sandboxFail', { resource: d.sandboxFailResource })}</dd>
              </>
            ) : null}
          </dl>
          <details className="mt-3">
            <summary className="cursor-pointer text-sm text-primary">{t('deploy.detail.parameters')}</summary>
            <Table className="mt-2">
              <tbody>
                {Object.entries(d.parameters).map(([k, v]) => (
                  <tr key={k}>
                    <Td className="font-mono text-xs">{k}</Td>
                    <Td className="break-all font-mono text-xs">{v}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </details>
        </Card>
        <DeploymentApprovals
          deployment={d}
          envLabel={envLabel}
          isAuthor={d.plannedById === actor.id}
          mayDecide={can(actor, 'deploy.approve') && mayDecide(actor, d, d.approvals)}
          mayExecute={can(actor, 'deploy.execute') && (d.status === 'PLANNED' || d.status === 'APPROVED')}
          warnings={live.warnings}
          confirmationRequired={live.confirmationRequired}
          decide={decideDeploymentAction}
          execute={executeDeploymentAction}
          t={t}
        />
      </div>
      {d.changes ? (
        <Card>
          <CardTitle>{t('deploy.diff.title')}</CardTitle>
          {d.summary ? (
            <p className="mb-3 text-sm" data-testid="diff-summary">
              {t('deploy.diff.summary', { add: d.summary.add, modify: d.summary.modify, replace: d.summary.replace, remove: d.summary.remove })}
            </p>
          ) : null}
          <ChangeDiff rows={d.changes} t={t} />
        </Card>
      ) : null}
    </div>
  );
}
