import { z } from 'zod';
import { createRequestAction } from '@/app/requests/actions';
import { RequestForm, type FormCatalog } from '@/components/access/request-form';
import { breakGlassLimits } from '@/lib/server/access';
import { requirePermission } from '@/lib/server/auth/guards';
import { listRules } from '@/lib/server/db/repositories/approval-rules';
import { listCatalog } from '@/lib/server/db/repositories/catalog-read';
import { getTranslator } from '@/lib/server/i18n/locale';
import { pageTitle } from '@/lib/server/i18n/metadata';

// The tab's title in the reader's language.
export const generateMetadata = pageTitle('title.newRequest');

// Links from the catalog and "ask for an extension" pre-fill the form.
const prefillSchema = z.object({
  type: z.enum(['SECRET_READ', 'SECRET_REGISTER', 'ROLE']).optional().catch(undefined),
  secretId: z.string().max(64).optional().catch(undefined),
  roleId: z.string().max(64).optional().catch(undefined),
  extends: z.string().max(64).optional().catch(undefined),
});

export default async function NewRequestPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePermission('request.create', '/requests/new');
  const [{ t }, catalog, rules, prefill] = await Promise.all([getTranslator(), listCatalog(), listRules(), searchParams.then((p) => prefillSchema.parse(p))]);
  const formCatalog: FormCatalog = {
    secrets: catalog.secrets.filter((s) => s.active).map((s) => ({ id: s.id, name: s.name, environment: s.environment, teamName: s.team.name })),
    roles: catalog.roles
      .filter((r) => r.active)
      .map((r) => ({ id: r.id, label: `${r.team.slug}/${r.environment.toLowerCase()}/${r.function}`, environment: r.environment, description: r.description })),
    teams: catalog.teams,
    rules,
    breakGlass: breakGlassLimits(),
  };
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t('access.new.title')}</h1>
      <RequestForm
        catalog={formCatalog}
        action={createRequestAction}
        initial={{ type: prefill.type, secretId: prefill.secretId, roleId: prefill.roleId, extendsRequestId: prefill.extends }}
      />
    </div>
  );
}
