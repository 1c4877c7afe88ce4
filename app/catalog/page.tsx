import type { Metadata } from 'next';
import Link from 'next/link';
import { formatMinutes } from '@/components/access/format';
import { Card, CardTitle } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { ENVIRONMENTS, REQUEST_TYPES } from '@/lib/access/model';
import { requirePermission } from '@/lib/server/auth/guards';
import { listCatalog, listRules } from '@/lib/server/db/repositories/requests-read';
import { getTranslator } from '@/lib/server/i18n/locale';

export const metadata: Metadata = { title: 'Catalog & rules' };

export default async function CatalogPage() {
  await requirePermission('catalog.read', '/catalog');
  const [{ t }, catalog, rules] = await Promise.all([getTranslator(), listCatalog(), listRules()]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">{t('access.catalog.title')}</h1>
      <Card>
        <CardTitle>{t('access.catalog.secrets')}</CardTitle>
        <Table data-testid="catalog-secrets">
          <thead>
            <tr>
              <Th>{t('access.catalog.name')}</Th>
              <Th>{t('access.new.team')}</Th>
              <Th>{t('access.catalog.description')}</Th>
              <Th>{t('access.catalog.arn')}</Th>
              <Th />
            </tr>
          </thead>
          <tbody>
            {catalog.secrets.map((s) => (
              <tr key={s.id}>
                <Td className="font-mono text-xs">{s.name}</Td>
                <Td>{s.team.name}</Td>
                <Td>{s.description}</Td>
                <Td className="font-mono text-xs">{s.arn ?? <span className="text-muted">{t('access.catalog.notInAws')}</span>}</Td>
                <Td>
                  <Link className="text-primary underline" href={`/requests/new?type=SECRET_READ&secretId=${s.id}`}>
                    {t('access.requests.new')}
                  </Link>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
      <Card>
        <CardTitle>{t('access.catalog.roles')}</CardTitle>
        <Table>
          <thead>
            <tr>
              <Th>{t('access.new.role')}</Th>
              <Th>{t('access.catalog.description')}</Th>
              <Th>{t('access.catalog.permissions')}</Th>
              <Th />
            </tr>
          </thead>
          <tbody>
            {catalog.roles.map((r) => (
              <tr key={r.id}>
                <Td className="font-mono text-xs">
                  {r.team.slug}/{r.environment.toLowerCase()}/{r.function}
                </Td>
                <Td>{r.description}</Td>
                <Td className="font-mono text-xs">{r.policy.flatMap((p) => p.actions).join(', ')}</Td>
                <Td>
                  <Link className="text-primary underline" href={`/requests/new?type=ROLE&roleId=${r.id}`}>
                    {t('access.requests.new')}
                  </Link>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
      <Card>
        <CardTitle>{t('access.catalog.rules')}</CardTitle>
        <Table data-testid="rules-table">
          <thead>
            <tr>
              <Th>{t('access.rules.type')}</Th>
              <Th>{t('access.col.env')}</Th>
              <Th>{t('access.rules.approvals')}</Th>
              <Th>{t('access.rules.group')}</Th>
              <Th>{t('access.rules.max')}</Th>
              <Th>{t('access.rules.ttl')}</Th>
              <Th>{t('access.rules.breakGlass')}</Th>
            </tr>
          </thead>
          <tbody>
            {REQUEST_TYPES.flatMap((type) =>
              ENVIRONMENTS.map((env) => {
                const r = rules[type][env];
                return (
                  <tr key={`${type}-${env}`}>
                    <Td>{t(`access.type.${type}`)}</Td>
                    <Td>{t(`access.env.${env}`)}</Td>
                    <Td>{r.approvalsRequired}</Td>
                    <Td>{t(`access.group.${r.approverGroup}`)}</Td>
                    <Td>{formatMinutes(r.maxDurationMinutes)}</Td>
                    <Td>{formatMinutes(r.pendingTtlMinutes)}</Td>
                    <Td>
                      {r.breakGlassAllowed ? t('access.yes') : t('access.no')}
                      {r.stored ? '' : ` (${t('access.rules.default')})`}
                    </Td>
                  </tr>
                );
              }),
            )}
          </tbody>
        </Table>
      </Card>
    </div>
  );
}
