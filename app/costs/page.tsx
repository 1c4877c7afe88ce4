import { refreshCostsAction } from '@/app/costs/actions';
import { CostFigures } from '@/components/costs/cost-figures';
import { CostFilters } from '@/components/costs/cost-filters';
import { CostStatus } from '@/components/costs/cost-status';
import { CostTabs } from '@/components/costs/cost-tabs';
import { RefreshCostsButton } from '@/components/costs/refresh-button';
import { FilterErrors } from '@/components/ui/filter-errors';
import { costOverviewQuerySchema } from '@/lib/costs/schemas';
import type { MessageKey } from '@/lib/i18n/messages';
import { requirePermission } from '@/lib/server/auth/guards';
import { can } from '@/lib/server/auth/permissions';
import { getCostOverview } from '@/lib/server/costs';
import { listTeams } from '@/lib/server/db/repositories/teams';
import { env } from '@/lib/server/env';
import { getTranslator } from '@/lib/server/i18n/locale';
import { pageTitle } from '@/lib/server/i18n/metadata';

// The tab's title in the reader's language.
export const generateMetadata = pageTitle('title.costs');

type SearchParams = Record<string, string | string[] | undefined>;

const LABELS: Record<string, MessageKey> = { basis: 'costs.filter.basis', env: 'costs.filter.env', team: 'costs.filter.team' };

export default async function CostsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission('costs.read', '/costs');
  const raw = await searchParams;
  const parsed = costOverviewQuerySchema.safeParse(raw);
  const [{ t }, teams, view] = await Promise.all([
    getTranslator(),
    listTeams(),
    // Bad filters show no figures: an unfiltered view could be mistaken for the filtered one.
    parsed.success ? getCostOverview(parsed.data) : Promise.resolve(null),
  ]);
  const query = parsed.success ? parsed.data : null;
  const text = (key: string) => (typeof raw[key] === 'string' ? (raw[key] as string) : '');

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">{t('costs.title')}</h1>
          <p className="text-sm text-muted">{t('costs.intro')}</p>
        </div>
        <CostTabs current="overview" labels={{ nav: t('costs.tabs'), overview: t('costs.tab.overview'), model: t('costs.tab.model') }} />
      </div>

      <CostFilters t={t} teams={teams} values={{ basis: query?.basis ?? 'unblended', env: query?.env ?? '', team: query?.team ?? text('team') }} />

      {!parsed.success ? (
        <FilterErrors
          title={t('costs.invalid')}
          messages={parsed.error.issues.map((issue) => {
            const key = String(issue.path[0] ?? issue.code);
            const keys = 'keys' in issue && Array.isArray(issue.keys) ? `: ${issue.keys.join(', ')}` : '';
            return `${LABELS[key] ? t(LABELS[key]) : key}${keys}: ${issue.message}`;
          })}
        />
      ) : null}

      {view && query ? (
        <>
          <CostStatus
            view={view}
            basis={query.basis}
            refreshHours={env().GATEHOUSE_COST_REFRESH_HOURS}
            refresh={can(actor, 'costs.refresh') ? <RefreshCostsButton run={refreshCostsAction} input={query} /> : null}
            t={t}
          />
          {view.accounts ? (
            <p className="text-sm text-muted" data-testid="cost-source">
              {t(`costs.source.${view.accounts.source}`)}
            </p>
          ) : null}
          <CostFigures overview={view.overview} t={t} accounts={view.accounts?.accounts} />
        </>
      ) : null}
    </div>
  );
}
