import Link from 'next/link';
import { HealthStatus } from '@/components/portal-health/health-status';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { requirePermission } from '@/lib/server/auth/guards';
import { can } from '@/lib/server/auth/permissions';
import { currentAccount } from '@/lib/server/cloud/account';
import { getTranslator } from '@/lib/server/i18n/locale';

export default async function HomePage() {
  const actor = await requirePermission('portal.view', '/');
  const [{ t }, account] = await Promise.all([getTranslator(), currentAccount().catch(() => null)]);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t('home.title', { name: actor.name })}</h1>
        <p className="text-muted">{t('app.tagline')}</p>
      </div>
      <div className="grid gap-4 md:grid-cols-3">
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
          <HealthStatus />
        </Card>
        <Card>
          <CardTitle>{t('home.cloud')}</CardTitle>
          {account ? (
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
              <dt className="text-muted">{account.mode === 'sandbox' ? t('account.sandbox') : 'AWS'}</dt>
              <dd className="font-mono">{account.accountId}</dd>
              <dt className="text-muted">{t('home.region')}</dt>
              <dd className="font-mono">{account.region}</dd>
            </dl>
          ) : (
            <p className="text-sm text-danger">{t('account.unavailable')}</p>
          )}
        </Card>
      </div>
      <Card>
        <CardTitle>{t('home.sections')}</CardTitle>
        <ul className="list-disc space-y-1 pl-5 text-sm">
          {can(actor, 'admin.users.read') ? (
            <li>
              <Link className="text-primary underline" href="/admin">
                {t('nav.admin')}
              </Link>
              : {t('home.section.admin')}
            </li>
          ) : null}
          <li className="text-muted">{t('home.comingSoon')}</li>
        </ul>
      </Card>
    </div>
  );
}
