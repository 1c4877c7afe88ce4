import type { Metadata } from 'next';
import Link from 'next/link';
import { detectDriftAction, planDeploymentAction, simulateDriftAction } from '@/app/deployments/actions';
import { DetectDriftButton, PlanForm, SimulateDriftForm } from '@/components/deployments/deployment-actions';
import { LocalTime } from '@/components/deployments/local-time';
import { DeploymentStatusBadge, StackStatusBadge } from '@/components/deployments/status-badge';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { describeSummary } from '@/lib/deployments/diff';
import { shortRevision } from '@/lib/deployments/revision';
import { requirePermission } from '@/lib/server/auth/guards';
import { can } from '@/lib/server/auth/permissions';
import { cloudMode } from '@/lib/server/cloud/adapters';
import { loadEnvironments, type EnvironmentOverview } from '@/lib/server/deployments/queries';
import { env } from '@/lib/server/env';
import { getTranslator } from '@/lib/server/i18n/locale';
import type { Translate } from '@/lib/i18n/messages';

export const metadata: Metadata = { title: 'Deployments' };

function Revision({ o, t }: { o: EnvironmentOverview; t: Translate }) {
  if (!o.runningRevision) return <span className="text-muted">{t('deploy.revision.unknown')}</span>;
  const same = o.currentRevision !== null && o.runningRevision === o.currentRevision;
  return (
    <span className="flex flex-wrap items-center gap-2">
      <code className="text-xs" title={o.runningRevision} data-testid="running-revision">
        {shortRevision(o.runningRevision)}
      </code>
      <Badge tone={same ? 'ok' : 'warn'}>{same ? t('deploy.revision.upToDate') : t('deploy.revision.behind')}</Badge>
    </span>
  );
}

export default async function DeploymentsPage() {
  const actor = await requirePermission('deploy.read', '/deployments');
  const [{ t }, environments] = await Promise.all([getTranslator(), loadEnvironments()]);
  const e = env();
  const sandbox = cloudMode() === 'sandbox';
  const mayPlan = can(actor, 'deploy.plan');
  const mayDrift = can(actor, 'deploy.drift');
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">{t('deploy.title')}</h1>
          <p className="text-muted">{t('deploy.intro')}</p>
          {sandbox ? <p className="mt-1 text-sm text-violet-800">{t('deploy.sandboxNote', { seconds: e.GATEHOUSE_SANDBOX_DEPLOY_SECONDS ?? 30 })}</p> : null}
          {!sandbox && !e.GATEHOUSE_DEPLOY_TEMPLATE_BUCKET ? <p className="mt-1 text-sm text-danger">{t('deploy.bucketMissing')}</p> : null}
        </div>
        <Link href="/deployments/history" className="text-sm text-primary underline">
          {t('deploy.history.title')}
        </Link>
      </div>
      <div className="grid gap-4 xl:grid-cols-3">
        {environments.map((o) => {
          const envLabel = t(`deploy.env.${o.environment}`);
          const drift = o.deployments.lastDrift;
          return (
            <Card key={o.environment} data-testid={`environment-${o.environment}`} className="space-y-4">
              <div className="flex items-center justify-between gap-2">
                <CardTitle className="mb-0 text-lg">{envLabel}</CardTitle>
                {o.stack ? <StackStatusBadge status={o.stack.status} /> : null}
              </div>
              <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
                <dt className="text-muted">{t('deploy.stack')}</dt>
                <dd className="font-mono text-xs">{o.stackName}</dd>
                {o.stackError ? (
                  <>
                    <dt />
                    <dd role="alert" className="text-danger">
                      {t('deploy.stackError', { error: o.stackError })}
                    </dd>
                  </>
                ) : !o.stack || o.stack.status === 'REVIEW_IN_PROGRESS' ? (
                  <>
                    <dt />
                    <dd className="text-muted">{t('deploy.noStack')}</dd>
                  </>
                ) : (
                  <>
                    <dt className="text-muted">{t('deploy.lastUpdated')}</dt>
                    <dd>
                      <LocalTime iso={(o.stack.lastUpdatedAt ?? o.stack.createdAt).toISOString()} withSeconds={false} />
                    </dd>
                    <dt className="text-muted">{t('deploy.revision.running')}</dt>
                    <dd>
                      <Revision o={o} t={t} />
                    </dd>
                  </>
                )}
                <dt className="text-muted">{t('deploy.lastDeployment')}</dt>
                <dd>
                  {o.deployments.lastExecuted ? (
                    <Link className="inline-flex items-center gap-2 text-primary underline" href={`/deployments/${o.deployments.lastExecuted.id}`}>
                      <DeploymentStatusBadge status={o.deployments.lastExecuted.status} t={t} />
                      {o.deployments.lastExecuted.executedAt ? <LocalTime iso={o.deployments.lastExecuted.executedAt.toISOString()} withSeconds={false} /> : null}
                      {o.deployments.lastExecuted.executedBy ? ` · ${o.deployments.lastExecuted.executedBy}` : null}
                    </Link>
                  ) : (
                    <span className="text-muted">{t('deploy.noDeployment')}</span>
                  )}
                </dd>
                <dt className="text-muted">{t('deploy.approvalRule')}</dt>
                <dd>{o.approvalsRequired > 0 ? t('deploy.approvalsNeeded', { count: o.approvalsRequired }) : t('deploy.noApprovalNeeded')}</dd>
              </dl>
              {o.stack && o.stack.outputs.length ? (
                <details>
                  <summary className="cursor-pointer text-sm text-primary">{t('deploy.outputs')} ({o.stack.outputs.length})</summary>
                  <dl className="mt-2 grid gap-1 text-xs" data-testid={`outputs-${o.environment}`}>
                    {o.stack.outputs.map((out) => (
                      <div key={out.key}>
                        <dt className="font-mono font-medium">{out.key}</dt>
                        <dd className="break-all font-mono text-muted">{out.value}</dd>
                      </div>
                    ))}
                  </dl>
                </details>
              ) : null}
              {o.deployments.open.length ? (
                <div>
                  <h3 className="text-sm font-semibold">{t('deploy.openPlans')}</h3>
                  <ul className="mt-1 space-y-1 text-sm">
                    {o.deployments.open.map((p) => (
                      <li key={p.id}>
                        <Link href={`/deployments/${p.id}`} className="inline-flex flex-wrap items-center gap-2 text-primary underline">
                          <DeploymentStatusBadge status={p.status} t={t} /> <LocalTime iso={p.plannedAt.toISOString()} withSeconds={false} /> · {p.plannedBy}
                        </Link>
                        {p.summary ? <span className="block text-xs text-muted">{describeSummary(p.summary)}</span> : null}
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
              <div className="space-y-2 border-t border-border pt-3">
                <div className="flex items-center justify-between gap-2">
                  <h3 className="text-sm font-semibold">{t('deploy.drift.title')}</h3>
                  {mayDrift && o.stack && o.stack.status !== 'REVIEW_IN_PROGRESS' ? <DetectDriftButton environment={o.environment} detect={detectDriftAction} /> : null}
                </div>
                <div data-testid={`drift-${o.environment}`} className="text-sm">
                  {!drift ? (
                    <p className="text-muted">{t('deploy.drift.notChecked')}</p>
                  ) : drift.status === 'DETECTING' ? (
                    <p>{t('deploy.drift.detecting')}</p>
                  ) : drift.status === 'FAILED' ? (
                    <p className="text-danger">{t('deploy.drift.failed', { error: drift.error ?? '' })}</p>
                  ) : (
                    <>
                      <p>
                        <Badge tone={drift.driftedCount ? 'danger' : 'ok'}>{drift.driftedCount ? t('deploy.drift.drifted', { count: drift.driftedCount }) : t('deploy.drift.inSync')}</Badge>{' '}
                        <span className="text-xs text-muted">
                          {t('deploy.drift.checkedAt')} <LocalTime iso={(drift.completedAt ?? drift.createdAt).toISOString()} withSeconds={false} />
                        </span>
                      </p>
                      {drift.resources?.length ? (
                        <ul className="mt-2 space-y-2">
                          {drift.resources.map((r) => (
                            <li key={r.logicalId} data-drifted={r.logicalId}>
                              <span className="font-mono text-xs font-medium">{r.logicalId}</span> <span className="font-mono text-xs text-muted">{r.resourceType}</span>
                              {r.status === 'DELETED' ? (
                                <p className="text-xs text-danger">{t('deploy.drift.deleted')}</p>
                              ) : (
                                <table className="mt-1 w-full text-xs">
                                  <thead>
                                    <tr className="text-left text-muted">
                                      <th className="pr-2 font-normal">{t('deploy.drift.property')}</th>
                                      <th className="pr-2 font-normal">{t('deploy.drift.expected')}</th>
                                      <th className="font-normal">{t('deploy.drift.actual')}</th>
                                    </tr>
                                  </thead>
                                  <tbody>
                                    {r.differences.map((d) => (
                                      <tr key={d.path}>
                                        <td className="pr-2 font-mono">{d.path}</td>
                                        <td className="break-all pr-2 font-mono">{d.expected ?? '—'}</td>
                                        <td className="break-all font-mono text-danger">{d.actual ?? '—'}</td>
                                      </tr>
                                    ))}
                                  </tbody>
                                </table>
                              )}
                            </li>
                          ))}
                        </ul>
                      ) : null}
                    </>
                  )}
                </div>
                {sandbox && mayDrift && o.stack && o.stack.status !== 'REVIEW_IN_PROGRESS' ? <SimulateDriftForm environment={o.environment} resources={o.resources} simulate={simulateDriftAction} /> : null}
              </div>
              {mayPlan ? (
                <div className="border-t border-border pt-3">
                  {o.templateError ? (
                    <p role="alert" className="text-sm text-danger">
                      {o.templateError}
                    </p>
                  ) : (
                    <PlanForm environment={o.environment} label={t('deploy.plan.button', { env: envLabel })} parameters={o.parameters} failOptions={sandbox ? o.resources : null} plan={planDeploymentAction} />
                  )}
                </div>
              ) : null}
            </Card>
          );
        })}
      </div>
    </div>
  );
}
