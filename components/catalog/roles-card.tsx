import Link from 'next/link';
import type { CatalogAction } from '@/components/catalog/catalog-form';
import { EditDisclosure } from '@/components/catalog/edit-disclosure';
import { CatalogRoleForm } from '@/components/catalog/role-form';
import type { TeamOption } from '@/components/catalog/secret-form';
import { AwsAccount } from '@/components/cloud/aws-account';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { DataTable, type DataTableRow } from '@/components/ui/data-table';
import { MiddleTruncate } from '@/components/ui/middle-truncate';
import type { AccountRef } from '@/lib/cloud/accounts';
import { ENVIRONMENTS, type Environment } from '@/lib/environments';
import type { Translate } from '@/lib/i18n/messages';

interface RoleRow {
  id: string;
  environment: Environment;
  function: string;
  description: string;
  policy: { actions: string[]; resources: string[] }[];
  active: boolean;
  team: { id: string; slug: string };
}

/**
 * The catalog's roles, each with the account its environment lives in (where the role is made), and
 * a request link for each active one; with `upsert` (catalog writers), edit and add forms.
 */
export function RolesCard({
  roles,
  accounts,
  teams,
  upsert,
  t,
}: {
  roles: RoleRow[];
  accounts: Record<Environment, AccountRef>;
  teams: TeamOption[];
  upsert: CatalogAction | null;
  t: Translate;
}) {
  return (
    <Card>
      <CardTitle>{t('access.catalog.roles')}</CardTitle>
      <DataTable
        data-testid="catalog-roles"
        urlPrefix="roles"
        caption={t('access.catalog.roles')}
        columns={[
          { id: 'name', header: t('access.new.role'), className: 'whitespace-nowrap font-mono text-xs' },
          { id: 'description', header: t('access.catalog.description'), className: 'min-w-48' },
          { id: 'permissions', header: t('access.catalog.permissions'), className: 'min-w-48 font-mono text-xs' },
          { id: 'account', header: t('access.catalog.account'), className: 'whitespace-nowrap' },
          { id: 'env', header: t('tables.catalog.env'), facet: ENVIRONMENTS.map((e) => ({ value: e, label: t(`access.env.${e}`) })) },
          { id: 'team', header: t('access.new.team'), facet: true },
          { id: 'actions', header: '', sortable: false, className: 'whitespace-nowrap' },
        ]}
        rows={roles.map((r): DataTableRow => {
          const label = `${r.team.slug}/${r.environment.toLowerCase()}/${r.function}`;
          const permissions = r.policy.flatMap((p) => p.actions).join(', ');
          return {
            id: r.id,
            values: {
              name: label,
              description: r.description,
              permissions,
              account: accounts[r.environment]?.accountId ?? null,
              env: r.environment,
              team: r.team.slug,
            },
            cells: {
              name: (
                <>
                  <MiddleTruncate text={label} max={44} />
                  {r.active ? null : (
                    <Badge tone="warn" className="ml-2 font-sans">
                      {t('access.catalog.inactive')}
                    </Badge>
                  )}
                </>
              ),
              description: r.description,
              // Actions are separate words: the list wraps between them, never inside one.
              permissions: <span className="break-normal">{permissions}</span>,
              account: <AwsAccount account={accounts[r.environment]} />,
              env: t(`access.env.${r.environment}`),
              team: r.team.slug,
              actions: (
                <>
                  {r.active ? (
                    <Link className="text-primary underline" href={`/requests/new?type=ROLE&roleId=${r.id}`}>
                      {t('access.requests.new')}
                    </Link>
                  ) : null}
                  {upsert ? (
                    <EditDisclosure label={t('access.catalog.edit')} target={label}>
                      <CatalogRoleForm
                        teams={teams}
                        role={{
                          id: r.id,
                          label,
                          teamId: r.team.id,
                          environment: r.environment,
                          function: r.function,
                          description: r.description,
                          policy: r.policy,
                          active: r.active,
                        }}
                        action={upsert}
                        compact
                      />
                    </EditDisclosure>
                  ) : null}
                </>
              ),
            },
          };
        })}
      />
      {upsert ? (
        <div className="mt-5 border-t border-border pt-4">
          <h3 className="mb-3 text-sm font-semibold">{t('access.catalog.addRole')}</h3>
          <CatalogRoleForm teams={teams} action={upsert} />
        </div>
      ) : null}
    </Card>
  );
}
