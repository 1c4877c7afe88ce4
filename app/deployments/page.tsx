import type { Metadata } from 'next';
import Link from 'next/link';
import { detectDriftAction, failNextShiftAction, planDeploymentAction, simulateDriftAction } from '@/app/deployments/actions';
import { EnvironmentCard } from '@/components/deployments/environment-card';
import { ReleasesTable, releaseAge } from '@/components/deployments/releases-table';
import { requirePermission } from '@/lib/server/auth/guards';
import { can } from '@/lib/server/auth/permissions';
import { cloudMode } from '@/lib/server/cloud/adapters';
import { loadEnvironments } from '@/lib/server/deployments/queries';
import { loadReleases } from '@/lib/server/deployments/releases';
import { env } from '@/lib/server/env';
import { getTranslator } from '@/lib/server/i18n/locale';

export const metadata: Metadata = { title: 'Deployments' };

export default async function DeploymentsPage() {
  const actor = await requirePermission('deploy.read', '/deployments');
  const [{ t, locale }, environments, { releases, now }] = await Promise.all([getTranslator(), loadEnvironments(), loadReleases()]);
  const releaseOptions = releases.map((r) => ({ id: r.id, label: `${r.id} · ${r.gitCommit.slice(0, 12)} · ${releaseAge(r.builtAt, now, locale)}` }));
  const e = env();
  const sandbox = cloudMode() === 'sandbox';
  const mayPlan = can(actor, 'deploy.plan');
  const mayDrift = can(actor, 'deploy.drift');
  const actions = {
    plan: planDeploymentAction,
    detect: detectDriftAction,
    simulate: simulateDriftAction,
    ...(can(actor, 'alarms.state.set') ? { failShift: failNextShiftAction } : {}),
  };
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
        {environments.map((o) => (
          <EnvironmentCard
            key={o.environment}
            o={o}
            t={t}
            sandbox={sandbox}
            mayPlan={mayPlan}
            mayDrift={mayDrift}
            actions={actions}
            releases={releaseOptions}
          />
        ))}
      </div>
      <ReleasesTable releases={releases} t={t} locale={locale} now={now} />
    </div>
  );
}
