import Link from 'next/link';
import type { CatalogAction } from '@/components/catalog/catalog-form';
import { EditDisclosure } from '@/components/catalog/edit-disclosure';
import { SecretForm, type SecretFormValues, type TeamOption } from '@/components/catalog/secret-form';
import { AwsAccount } from '@/components/cloud/aws-account';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { DataTable, type DataTableRow } from '@/components/ui/data-table';
import { MiddleTruncate } from '@/components/ui/middle-truncate';
import type { AccountRef } from '@/lib/cloud/accounts';
import { ENVIRONMENTS, type Environment } from '@/lib/environments';
import type { Translate } from '@/lib/i18n/messages';

interface SecretRow {
  id: string;
  name: string;
  environment: Environment;
  description: string;
  arn: string | null;
  active: boolean;
  team: { name: string };
}

/**
 * The catalog's secrets with a request link for each active one. With `upsert` (catalog writers),
 * each secret whose form values `editable` gives can be edited, and a form adds one.
 */
export function SecretsCard({
  secrets,
  accounts,
  teams,
  editable,
  upsert,
  t,
}: {
  secrets: SecretRow[];
  /** The account each environment lives in: a secret is in its environment's. */
  accounts: Record<Environment, AccountRef>;
  teams: TeamOption[];
  editable: (id: string) => SecretFormValues | null;
  upsert: CatalogAction | null;
  t: Translate;
}) {
  return (
    <Card>
      <CardTitle>{t('access.catalog.secrets')}</CardTitle>
      <DataTable
        data-testid="catalog-secrets"
        urlPrefix="secrets"
        caption={t('access.catalog.secrets')}
        columns={[
          { id: 'name', header: t('access.catalog.name'), className: 'whitespace-nowrap font-mono text-xs' },
          { id: 'team', header: t('access.new.team'), facet: true, className: 'whitespace-nowrap' },
          { id: 'description', header: t('access.catalog.description'), className: 'min-w-48' },
          { id: 'arn', header: t('access.catalog.arn'), className: 'whitespace-nowrap font-mono text-xs' },
          { id: 'account', header: t('access.catalog.account'), className: 'whitespace-nowrap' },
          { id: 'env', header: t('tables.catalog.env'), facet: ENVIRONMENTS.map((e) => ({ value: e, label: t(`access.env.${e}`) })) },
          {
            id: 'status',
            header: t('tables.catalog.status'),
            facet: [
              { value: 'active', label: t('tables.catalog.active') },
              { value: 'inactive', label: t('access.catalog.inactive') },
            ],
          },
          { id: 'actions', header: '', sortable: false, className: 'whitespace-nowrap' },
        ]}
        rows={secrets.map((s): DataTableRow => {
          const values = upsert ? editable(s.id) : null;
          return {
            id: s.id,
            values: {
              name: s.name,
              team: s.team.name,
              description: s.description,
              arn: s.arn,
              account: accounts[s.environment]?.accountId ?? null,
              env: s.environment,
              status: s.active ? 'active' : 'inactive',
            },
            cells: {
              name: (
                <>
                  <MiddleTruncate text={s.name} max={44} />
                  {s.active ? null : (
                    <Badge tone="warn" className="ml-2 font-sans">
                      {t('access.catalog.inactive')}
                    </Badge>
                  )}
                </>
              ),
              team: s.team.name,
              description: s.description,
              arn: s.arn ? <MiddleTruncate text={s.arn} max={36} /> : <span className="text-muted">{t('access.catalog.notInAws')}</span>,
              account: <AwsAccount account={accounts[s.environment]} />,
              env: t(`access.env.${s.environment}`),
              status: s.active ? t('tables.catalog.active') : t('access.catalog.inactive'),
              actions: (
                <>
                  {s.active ? (
                    <Link className="text-primary underline" href={`/requests/new?type=SECRET_READ&secretId=${s.id}`}>
                      {t('access.requests.new')}
                    </Link>
                  ) : null}
                  {upsert && values ? (
                    <EditDisclosure label={t('access.catalog.edit')} target={s.name}>
                      <SecretForm teams={teams} secret={values} action={upsert} compact />
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
          <h3 className="mb-3 text-sm font-semibold">{t('access.catalog.addSecret')}</h3>
          <SecretForm teams={teams} action={upsert} />
        </div>
      ) : null}
    </Card>
  );
}
