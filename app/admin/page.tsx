import { setPrincipalAction, updateUserRolesAction } from '@/app/admin/actions';
import { decideChangeAction } from '@/app/catalog/actions';
import { PendingChanges } from '@/components/control-plane/pending-changes';
import { toPendingView } from '@/lib/control-plane/describe';
import { listOpenChanges } from '@/lib/server/db/repositories/control-plane-changes';
import { PrincipalForm } from '@/components/admin/principal-form';
import { portalAccounts } from '@/lib/server/cloud/account';
import { listPrincipals } from '@/lib/server/db/repositories/principals';
import { RoleForm } from '@/components/admin/role-form';
import { Card, CardTitle } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { requirePermission } from '@/lib/server/auth/guards';
import { can } from '@/lib/server/auth/permissions';
import { listTeams } from '@/lib/server/db/repositories/teams';
import { listUsersForAdmin } from '@/lib/server/db/repositories/users';
import { instantFormat } from '@/lib/i18n/format';
import { getTranslator } from '@/lib/server/i18n/locale';
import { pageTitle } from '@/lib/server/i18n/metadata';

// The tab's title in the reader's language.
export const generateMetadata = pageTitle('title.admin');

export default async function AdminPage() {
  const actor = await requirePermission('admin.users.read', '/admin');
  const [{ t, locale, zone }, users, teams, principals, pending, accounts] = await Promise.all([
    getTranslator(),
    listUsersForAdmin(),
    listTeams(),
    listPrincipals(),
    listOpenChanges(['USER_ROLES']),
    // Without the accounts (STS down) the mappings are still listed; only editing waits.
    portalAccounts().catch(() => null),
  ]);
  const canMap = can(actor, 'admin.principals.update');
  const canEdit = can(actor, 'admin.users.update');
  const when = instantFormat(locale, zone);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">{t('admin.title')}</h1>
      <Card>
        <CardTitle>{t('controlPlane.pending.title')}</CardTitle>
        <p className="mb-3 text-sm text-muted">{t('controlPlane.pending.intro')}</p>
        <PendingChanges changes={pending.map((c) => toPendingView(c, actor.id))} decide={decideChangeAction} />
      </Card>
      <Card>
        <CardTitle>{t('admin.users')}</CardTitle>
        <Table data-testid="users-table">
          <thead>
            <tr>
              <Th>{t('admin.col.name')}</Th>
              <Th>{t('admin.col.email')}</Th>
              <Th>{t('admin.col.teams')}</Th>
              <Th>{t('admin.col.roles')}</Th>
              <Th>{t('admin.col.principal')}</Th>
              <Th>{t('admin.col.lastLogin')}</Th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <tr key={user.id} data-user-id={user.id}>
                <Td className="font-medium">{user.name}</Td>
                <Td>{user.email}</Td>
                <Td>{user.teams.map((team) => (team.isLead ? `${team.name} (${t('home.lead')})` : team.name)).join(', ')}</Td>
                <Td>
                  {canEdit ? (
                    <RoleForm userId={user.id} userName={user.name} roles={user.roles} action={updateUserRolesAction} />
                  ) : (
                    user.roles.map((r) => t(`role.${r}`)).join(', ')
                  )}
                </Td>
                <Td>
                  {canMap && accounts ? (
                    <div className="space-y-1">
                      {accounts.map((account) => (
                        <PrincipalForm
                          key={account.accountId}
                          userId={user.id}
                          userName={user.name}
                          account={account}
                          // One account: the form is simply "AWS identity of <name>", as before.
                          showAccount={accounts.length > 1}
                          arn={principals.get(user.id)?.get(account.accountId) ?? null}
                          action={setPrincipalAction}
                        />
                      ))}
                    </div>
                  ) : (
                    <ul className="space-y-0.5">
                      {[...(principals.get(user.id) ?? new Map<string, string>()).values()].map((arn) => (
                        <li key={arn} className="font-mono text-xs">
                          {arn}
                        </li>
                      ))}
                      {principals.get(user.id)?.size ? null : <li>—</li>}
                    </ul>
                  )}
                </Td>
                <Td>{user.lastLoginAt ? when.format(user.lastLoginAt) : t('admin.never')}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
      <Card>
        <CardTitle>{t('admin.teams')}</CardTitle>
        <Table>
          <thead>
            <tr>
              <Th>{t('admin.col.name')}</Th>
              <Th>Slug</Th>
              <Th>{t('admin.col.members')}</Th>
            </tr>
          </thead>
          <tbody>
            {teams.map((team) => (
              <tr key={team.id}>
                <Td className="font-medium">
                  {team.name}
                  <p className="text-xs text-muted">{team.description}</p>
                </Td>
                <Td className="font-mono">{team.slug}</Td>
                <Td>{team.memberCount}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
    </div>
  );
}
