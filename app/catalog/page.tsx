import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { decideChangeAction, updateRuleAction, upsertRoleAction, upsertSecretAction } from '@/app/catalog/actions';
import { formatMinutes } from '@/components/access/format';
import { CatalogRoleForm } from '@/components/catalog/role-form';
import { PendingChanges } from '@/components/control-plane/pending-changes';
import { RuleForm } from '@/components/catalog/rule-form';
import { SecretForm, type SecretFormValues } from '@/components/catalog/secret-form';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { ENVIRONMENTS, REQUEST_TYPES } from '@/lib/access/model';
import { toPendingView } from '@/lib/control-plane/describe';
import { requirePermission } from '@/lib/server/auth/guards';
import { can } from '@/lib/server/auth/permissions';
import { listEditableSecrets } from '@/lib/server/db/repositories/catalog-write';
import { listOpenChanges } from '@/lib/server/db/repositories/control-plane-changes';
import { listRules } from '@/lib/server/db/repositories/approval-rules';
import { listCatalog } from '@/lib/server/db/repositories/catalog-read';
import { getTranslator } from '@/lib/server/i18n/locale';

export const metadata: Metadata = { title: 'Catalog & rules' };

/** An edit disclosure for one table row: a native <details>, so it works before hydration too. */
function EditDisclosure({ label, target, children }: { label: string; target: string; children: ReactNode }) {
  return (
    <details className="mt-1">
      <summary className="cursor-pointer text-sm text-primary underline">
        {label}
        <span className="sr-only"> {target}</span>
      </summary>
      <div className="mt-2">{children}</div>
    </details>
  );
}

export default async function CatalogPage() {
  const actor = await requirePermission('catalog.read', '/catalog');
  // Hiding the forms is only for clarity: the actions authorize catalog.write / rules.write themselves.
  const canEditCatalog = can(actor, 'catalog.write');
  const canEditRules = can(actor, 'rules.write');
  const canDecide = can(actor, 'control_plane.decide');
  const [{ t }, catalog, rules, editable, pending] = await Promise.all([
    getTranslator(),
    listCatalog(),
    listRules(),
    canEditCatalog ? listEditableSecrets() : [],
    // Every open proposal, role assignments included: security decides those too but cannot open /admin.
    canDecide ? listOpenChanges() : [],
  ]);
  const editableById = new Map(editable.map((s) => [s.id, s]));
  const secretValues = (id: string): SecretFormValues | null => {
    const s = editableById.get(id);
    return s ? { id: s.id, fullName: s.name, environment: s.environment, teamId: s.teamId, name: s.name.split('/').at(-1) ?? '', description: s.description, arn: s.arn, kmsKeyArn: s.kmsKeyArn, active: s.active } : null;
  };
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">{t('access.catalog.title')}</h1>
      {canDecide ? (
        <Card>
          <CardTitle>{t('controlPlane.pending.title')}</CardTitle>
          <p className="mb-3 text-sm text-muted">{t('controlPlane.pending.intro')}</p>
          <PendingChanges changes={pending.map((c) => toPendingView(c, actor.id))} decide={decideChangeAction} />
        </Card>
      ) : null}
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
                  {s.active ? (
                    <Link className="text-primary underline" href={`/requests/new?type=SECRET_READ&secretId=${s.id}`}>
                      {t('access.requests.new')}
                    </Link>
                  ) : null}
                  {canEditCatalog && secretValues(s.id) ? (
                    <EditDisclosure label={t('access.catalog.edit')} target={s.name}>
                      <SecretForm teams={catalog.teams} secret={secretValues(s.id)!} action={upsertSecretAction} compact />
                    </EditDisclosure>
                  ) : null}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
        {canEditCatalog ? (
          <div className="mt-5 border-t border-border pt-4">
            <h3 className="mb-3 text-sm font-semibold">{t('access.catalog.addSecret')}</h3>
            <SecretForm teams={catalog.teams} action={upsertSecretAction} />
          </div>
        ) : null}
      </Card>
      <Card>
        <CardTitle>{t('access.catalog.roles')}</CardTitle>
        <Table data-testid="catalog-roles">
          <thead>
            <tr>
              <Th>{t('access.new.role')}</Th>
              <Th>{t('access.catalog.description')}</Th>
              <Th>{t('access.catalog.permissions')}</Th>
              <Th />
            </tr>
          </thead>
          <tbody>
            {catalog.roles.map((r) => {
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
                    {r.active ? (
                      <Link className="text-primary underline" href={`/requests/new?type=ROLE&roleId=${r.id}`}>
                        {t('access.requests.new')}
                      </Link>
                    ) : null}
                    {canEditCatalog ? (
                      <EditDisclosure label={t('access.catalog.edit')} target={label}>
                        <CatalogRoleForm
                          teams={catalog.teams}
                          role={{ id: r.id, label, teamId: r.team.id, environment: r.environment, function: r.function, description: r.description, policy: r.policy, active: r.active }}
                          action={upsertRoleAction}
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
        {canEditCatalog ? (
          <div className="mt-5 border-t border-border pt-4">
            <h3 className="mb-3 text-sm font-semibold">{t('access.catalog.addRole')}</h3>
            <CatalogRoleForm teams={catalog.teams} action={upsertRoleAction} />
          </div>
        ) : null}
      </Card>
      <Card>
        <CardTitle>{t('access.catalog.rules')}</CardTitle>
        <p className="mb-3 text-sm text-muted">{t('access.rules.futureOnly')}</p>
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
              {canEditRules ? <Th /> : null}
            </tr>
          </thead>
          <tbody>
            {REQUEST_TYPES.flatMap((type) =>
              ENVIRONMENTS.map((env) => {
                const r = rules[type][env];
                return (
                  <tr key={`${type}-${env}`} data-rule={`${type}/${env}`}>
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
                    {canEditRules ? (
                      <Td>
                        <EditDisclosure label={t('access.catalog.edit')} target={`${t(`access.type.${type}`)} ${t(`access.env.${env}`)}`}>
                          <RuleForm requestType={type} environment={env} rule={r} action={updateRuleAction} />
                        </EditDisclosure>
                      </Td>
                    ) : null}
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
