import { decideChangeAction, updateRuleAction, upsertRoleAction, upsertSecretAction } from '@/app/catalog/actions';
import { RolesCard } from '@/components/catalog/roles-card';
import { RulesCard } from '@/components/catalog/rules-card';
import { SecretsCard } from '@/components/catalog/secrets-card';
import type { SecretFormValues } from '@/components/catalog/secret-form';
import { PendingChanges } from '@/components/control-plane/pending-changes';
import { Card, CardTitle } from '@/components/ui/card';
import { toPendingView } from '@/lib/control-plane/describe';
import { requirePermission } from '@/lib/server/auth/guards';
import { accountsByEnvironment } from '@/lib/server/cloud/account';
import { can } from '@/lib/server/auth/permissions';
import { listEditableSecrets } from '@/lib/server/db/repositories/catalog-write';
import { listOpenChanges } from '@/lib/server/db/repositories/control-plane-changes';
import { listRules } from '@/lib/server/db/repositories/approval-rules';
import { listCatalog } from '@/lib/server/db/repositories/catalog-read';
import { getTranslator } from '@/lib/server/i18n/locale';
import { pageTitle } from '@/lib/server/i18n/metadata';

// The tab's title in the reader's language.
export const generateMetadata = pageTitle('title.catalog');

export default async function CatalogPage() {
  const actor = await requirePermission('catalog.read', '/catalog');
  // Hiding the forms is only for clarity: the actions authorize catalog.write / rules.write themselves.
  const canEditCatalog = can(actor, 'catalog.write');
  const canEditRules = can(actor, 'rules.write');
  const canDecide = can(actor, 'control_plane.decide');
  const [{ t }, catalog, rules, editable, pending, accounts] = await Promise.all([
    getTranslator(),
    listCatalog(),
    listRules(),
    canEditCatalog ? listEditableSecrets() : [],
    // Every open proposal, role assignments included: security decides those too but cannot open /admin.
    canDecide ? listOpenChanges() : [],
    accountsByEnvironment(),
  ]);
  const editableById = new Map(editable.map((s) => [s.id, s]));
  const secretValues = (id: string): SecretFormValues | null => {
    const s = editableById.get(id);
    return s
      ? {
          id: s.id,
          fullName: s.name,
          environment: s.environment,
          teamId: s.teamId,
          name: s.name.split('/').at(-1) ?? '',
          description: s.description,
          arn: s.arn,
          kmsKeyArn: s.kmsKeyArn,
          active: s.active,
        }
      : null;
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
      <SecretsCard
        secrets={catalog.secrets}
        accounts={accounts}
        teams={catalog.teams}
        editable={secretValues}
        upsert={canEditCatalog ? upsertSecretAction : null}
        t={t}
      />
      <RolesCard roles={catalog.roles} accounts={accounts} teams={catalog.teams} upsert={canEditCatalog ? upsertRoleAction : null} t={t} />
      <RulesCard rules={rules} update={canEditRules ? updateRuleAction : null} t={t} />
    </div>
  );
}
