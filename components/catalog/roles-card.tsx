import Link from 'next/link';
import type { CatalogAction } from '@/components/catalog/catalog-form';
import { EditDisclosure } from '@/components/catalog/edit-disclosure';
import { CatalogRoleForm } from '@/components/catalog/role-form';
import type { TeamOption } from '@/components/catalog/secret-form';
import { AwsAccount } from '@/components/cloud/aws-account';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import type { AccountRef } from '@/lib/cloud/accounts';
import type { Environment } from '@/lib/environments';
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
      <Table data-testid="catalog-roles">
        <thead>
          <tr>
            <Th>{t('access.new.role')}</Th>
            <Th>{t('access.catalog.description')}</Th>
            <Th>{t('access.catalog.permissions')}</Th>
            <Th>{t('access.catalog.account')}</Th>
            <Th />
          </tr>
        </thead>
        <tbody>
          {roles.map((r) => {
            const label = `${r.team.slug}/${r.environment.toLowerCase()}/${r.function}`;
            return (
              <tr key={r.id}>
                <Td className="font-mono text-xs">
                  {label}
                  {r.active ? null : (
                    <Badge tone="warn" className="ml-2 font-sans">
                      {t('access.catalog.inactive')}
                    </Badge>
                  )}
                </Td>
                <Td>{r.description}</Td>
                <Td className="font-mono text-xs">{r.policy.flatMap((p) => p.actions).join(', ')}</Td>
                <Td>
                  <AwsAccount account={accounts[r.environment]} />
                </Td>
                <Td>
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
                </Td>
              </tr>
            );
          })}
        </tbody>
      </Table>
      {upsert ? (
        <div className="mt-5 border-t border-border pt-4">
          <h3 className="mb-3 text-sm font-semibold">{t('access.catalog.addRole')}</h3>
          <CatalogRoleForm teams={teams} action={upsert} />
        </div>
      ) : null}
    </Card>
  );
}
