import { CostModel } from '@/components/costs/cost-model';
import { CostTabs } from '@/components/costs/cost-tabs';
import { costModelInputsSchema, type CostModelField, type CostModelInputs } from '@/lib/costs/schemas';
import { requirePermission } from '@/lib/server/auth/guards';
import { getTranslator } from '@/lib/server/i18n/locale';
import { pageTitle } from '@/lib/server/i18n/metadata';
import { Alert } from '@/components/ui/alert';

// The tab's title in the reader's language.
export const generateMetadata = pageTitle('title.costModel');

type SearchParams = Record<string, string | string[] | undefined>;

/**
 * The inputs of a shared link: valid values are kept, each invalid one falls back to its default
 * and is reported (a bad link still opens the model rather than an error page).
 */
function readInputs(raw: SearchParams): { inputs: CostModelInputs; invalid: { field: string; message: string }[] } {
  const known = Object.keys(costModelInputsSchema.shape) as CostModelField[];
  const values: Record<string, string> = {};
  for (const key of known) {
    const v = raw[key];
    if (typeof v === 'string' && v.trim() !== '') values[key] = v;
  }
  const first = costModelInputsSchema.safeParse(values);
  if (first.success) return { inputs: first.data, invalid: [] };
  const invalid = first.error.issues.map((i) => ({ field: String(i.path[0] ?? ''), message: i.message }));
  for (const { field } of invalid) delete values[field];
  return { inputs: costModelInputsSchema.parse(values), invalid };
}

export default async function CostModelPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePermission('costs.read', '/costs/model');
  const [{ t }, raw] = await Promise.all([getTranslator(), searchParams]);
  const { inputs, invalid } = readInputs(raw);
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="max-w-3xl">
          <h1 className="text-2xl font-bold">{t('costs.model.title')}</h1>
          <p className="text-sm text-muted">{t('costs.model.intro')}</p>
        </div>
        <CostTabs current="model" labels={{ nav: t('costs.tabs'), overview: t('costs.tab.overview'), model: t('costs.tab.model') }} />
      </div>
      {invalid.length ? (
        <Alert as="div" tone="warn" box>
          <p className="font-medium">{t('costs.model.invalid')}</p>
          <ul className="mt-1 list-disc pl-5">
            {invalid.map((i) => (
              <li key={i.field}>{`${i.field}: ${i.message}`}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      <CostModel initial={inputs} />
    </div>
  );
}
