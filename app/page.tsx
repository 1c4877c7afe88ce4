import { Suspense, type ReactNode } from 'react';
import {
  ApprovalsWaiting,
  BreakGlassToReview,
  FiringAlarms,
  MyGrants,
  MyPendingRequests,
  NewFindings,
  PlansWaiting,
  TodaysCost,
  UnhealthyEnvironments,
  type SectionProps,
} from '@/app/_home/sections';
import { HomeSection, RoleSections } from '@/components/home/home-section';
import { HealthStatus } from '@/components/portal-health/health-status';
import { QueryProvider } from '@/components/query-provider';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { requirePermission } from '@/lib/server/auth/guards';
import { can } from '@/lib/server/auth/permissions';
import { currentAccount } from '@/lib/server/cloud/account';
import { getTranslator } from '@/lib/server/i18n/locale';

/** A section streams in on its own: a slow source (Cost Explorer, CloudWatch) holds up only its card. */
function Streamed({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <Suspense
      fallback={
        <HomeSection title={title} testId={testId}>
          <p className="text-sm text-muted">…</p>
        </HomeSection>
      }
    >
      {children}
    </Suspense>
  );
}

/**
 * "What needs me now": a section per role the user holds, each authorized here by the permission
 * that guards its own page (docs/decisions/049-home-page.md). A user with several roles sees each.
 */
export default async function HomePage() {
  const actor = await requirePermission('portal.view', '/');
  const [{ t, locale, zone }, account] = await Promise.all([getTranslator(), currentAccount().catch(() => null)]);
  const p: SectionProps = { actor, now: new Date(), t, locale, zone };
  const security = can(actor, 'break_glass.review') && can(actor, 'iam.audit.read');
  const ops = can(actor, 'deploy.execute');
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-bold">{t('home.title', { name: actor.name })}</h1>
        <p className="text-muted">{t('home.subtitle')}</p>
      </div>

      {security ? (
        <RoleSections title={t('home.role.security')} testId="home-security">
          <Streamed title={t('home.approvals.title')} testId="home-approvals">
            <ApprovalsWaiting {...p} />
          </Streamed>
          <Streamed title={t('home.breakGlass.title')} testId="home-break-glass">
            <BreakGlassToReview {...p} />
          </Streamed>
          <Streamed title={t('home.findings.title')} testId="home-findings">
            <NewFindings {...p} />
          </Streamed>
        </RoleSections>
      ) : null}

      {ops ? (
        <RoleSections title={t('home.role.ops')} testId="home-ops">
          <Streamed title={t('home.alarms.title')} testId="home-alarms">
            <FiringAlarms {...p} />
          </Streamed>
          <Streamed title={t('home.health.title')} testId="home-health">
            <UnhealthyEnvironments {...p} />
          </Streamed>
          <Streamed title={t('home.plans.title')} testId="home-plans">
            <PlansWaiting {...p} />
          </Streamed>
          <Streamed title={t('home.cost.title')} testId="home-cost">
            <TodaysCost {...p} />
          </Streamed>
        </RoleSections>
      ) : null}

      {can(actor, 'request.create') ? (
        <RoleSections title={t('home.role.access')} testId="home-access">
          <Streamed title={t('home.grants.title')} testId="home-grants">
            <MyGrants {...p} />
          </Streamed>
          <Streamed title={t('home.pending.title')} testId="home-pending">
            <MyPendingRequests {...p} />
          </Streamed>
        </RoleSections>
      ) : null}

      <section aria-label={t('home.about')} className="grid gap-4 md:grid-cols-3">
        <Card>
          <CardTitle>{t('home.yourTeams')}</CardTitle>
          {actor.teams.length ? (
            <ul className="space-y-1" data-testid="my-teams">
              {actor.teams.map((team) => (
                <li key={team.id} className="flex items-center gap-2">
                  {team.name}
                  {team.isLead ? <Badge tone="info">{t('home.lead')}</Badge> : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-muted">{t('home.noTeams')}</p>
          )}
          <h3 className="mb-1 mt-4 text-sm font-semibold">{t('home.yourRoles')}</h3>
          <p className="flex flex-wrap gap-1">
            {actor.roles.map((role) => (
              <Badge key={role}>{t(`role.${role}`)}</Badge>
            ))}
          </p>
        </Card>
        <Card>
          <CardTitle>{t('home.status')}</CardTitle>
          <QueryProvider>
            <HealthStatus />
          </QueryProvider>
        </Card>
        <Card>
          <CardTitle>{t('home.cloud')}</CardTitle>
          {account ? (
            <dl className="grid grid-cols-[fit-content(40%)_minmax(0,1fr)] [overflow-wrap:anywhere] gap-x-3 gap-y-1 text-sm">
              <dt className="text-muted">{account.mode === 'sandbox' ? t('account.sandbox') : 'AWS'}</dt>
              <dd className="font-mono">{account.accountId}</dd>
              <dt className="text-muted">{t('home.region')}</dt>
              <dd className="font-mono">{account.region}</dd>
            </dl>
          ) : (
            <p className="text-sm text-danger">{t('account.unavailable')}</p>
          )}
        </Card>
      </section>
    </div>
  );
}
