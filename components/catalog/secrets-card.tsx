import Link from 'next/link';
import type { CatalogAction } from '@/components/catalog/catalog-form';
import { EditDisclosure } from '@/components/catalog/edit-disclosure';
import { SecretForm, type SecretFormValues, type TeamOption } from '@/components/catalog/secret-form';
import { AwsAccount } from '@/components/cloud/aws-account';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import type { AccountRef } from '@/lib/cloud/accounts';
import type { Environment } from '@/lib/environments';
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
      <Table data-testid="catalog-secrets">
        <thead>
          <tr>
            <Th>{t('access.catalog.name')}</Th>
            <Th>{t('access.new.team')}</Th>
            <Th>{t('access.catalog.description')}</Th>
            <Th>{t('access.catalog.arn')}</Th>
            <Th>{t('access.catalog.account')}</Th>
            <Th />
          </tr>
        </thead>
        <tbody>
          {secrets.map((s) => {
            const values = upsert ? editable(s.id) : null;
            return (
              <tr key={s.id}>
                <Td className="font-mono text-xs">
                  {s.name}
                  {s.active ? null : (
                    <Badge tone="warn" className="ml-2 font-sans">
                      {t('access.catalog.inactive')}
                    </Badge>
                  )}
                </Td>
                <Td>{s.team.name}</Td>
                <Td>{s.description}</Td>
                <Td className="font-mono text-xs">{s.arn ?? <span className="text-muted">{t('access.catalog.notInAws')}</span>}</Td>
                <Td>
                  <AwsAccount account={accounts[s.environment]} />
                </Td>
                <Td>
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
                </Td>
              </tr>
            );
          })}
        </tbody>
      </Table>
      {upsert ? (
        <div className="mt-5 border-t border-border pt-4">
          <h3 className="mb-3 text-sm font-semibold">{t('access.catalog.addSecret')}</h3>
          <SecretForm teams={teams} action={upsert} />
        </div>
      ) : null}
    </Card>
  );
}
