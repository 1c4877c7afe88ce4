import { AlarmsOverview, type OverviewFilters } from '@/components/alarms/alarm-overview';
import { QueryProvider } from '@/components/query-provider';
import { overviewQuerySchema } from '@/lib/alarms/schemas';
import { alarmAccounts, alarmRegions, getOverview } from '@/lib/alarms/service';
import { alarmDeps, environmentHealth } from '@/lib/server/alarms/wiring';
import { requirePermission } from '@/lib/server/auth/guards';
import { loadDeployedReleases } from '@/lib/server/deployments/queries';
import { pageTitle } from '@/lib/server/i18n/metadata';

// The tab's title in the reader's language.
export const generateMetadata = pageTitle('title.alarms');

type SearchParams = Record<string, string | string[] | undefined>;

/** The filters of the URL that are valid (an invalid one is reported and left out, not a 400 page). */
function validFilters(raw: SearchParams, regions: string[], accounts: string[]): { filters: OverviewFilters; warning: string | null } {
  const flat = Object.fromEntries(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const filters: OverviewFilters = {};
  const issues: string[] = [];
  for (const [key, value] of Object.entries(flat)) {
    const parsed = overviewQuerySchema.safeParse({ [key]: value });
    if (!parsed.success) issues.push(...parsed.error.issues.map((i) => `${i.path.join('.') || key}: ${i.message}`));
    else if (key === 'region' && !regions.includes(value)) issues.push(`region: must be one of ${regions.join(', ')}`);
    else if (key === 'account' && !accounts.includes(value)) issues.push(`account: must be one of ${accounts.join(', ')}`);
    else filters[key as keyof OverviewFilters] = value;
  }
  return { filters, warning: issues.length ? issues.join('; ') : null };
}

export default async function AlarmsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePermission('alarms.read', '/alarms');
  const deps = alarmDeps();
  const { filters, warning } = validFilters(
    await searchParams,
    alarmRegions(deps),
    alarmAccounts(deps).map((a) => a.key),
  );
  const [overview, health, deployed] = await Promise.all([
    getOverview(deps, overviewQuerySchema.parse(filters)),
    // The page works without health: the client shows the error and keeps polling.
    environmentHealth().catch(() => null),
    // What each environment runs, from the stack read Deployments makes (one source of truth).
    loadDeployedReleases(),
  ]);
  const serverTime = new Date().toISOString();
  return (
    <QueryProvider>
      <AlarmsOverview
        initial={{ ...overview, serverTime }}
        initialFilters={filters}
        initialHealth={health ? { environments: health, serverTime } : null}
        deployed={deployed}
        warning={warning}
      />
    </QueryProvider>
  );
}
