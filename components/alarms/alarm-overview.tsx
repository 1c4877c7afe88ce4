'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useMemo, useState } from 'react';
import { AwsAccount } from '@/components/cloud/aws-account';
import { useI18n } from '@/components/i18n-provider';
import { formatAge, formatInstant } from '@/lib/i18n/format';
import { fetchJson } from '@/components/fetch-json';
import { EnvironmentHealthView } from '@/components/alarms/environment-health';
import { SourceStatusLine } from '@/components/alarms/source-status';
import { AlarmStateBadge, COMPARISON_SYMBOL } from '@/components/alarms/state-badge';
import { useHydrated, useNow } from '@/components/alarms/use-clock';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Field, Input, Select } from '@/components/ui/field';
import { DataTable, type DataTableColumn, type DataTableRow } from '@/components/ui/data-table';
import { truncateMiddle } from '@/components/ui/middle-truncate';
import { formatMetricValue } from '@/lib/alarms/units';
import type { DeployedRelease } from '@/lib/deployments/model';
import type { Locale, Translate } from '@/lib/i18n/messages';
import type { EnvironmentHealth } from '@/lib/alarms/environment-health';
import { ALARM_SORTS, ALARM_STATES, type AlarmState } from '@/lib/alarms/model';
import { accountLabel } from '@/lib/cloud/account-label';
import type { OverviewItem } from '@/lib/alarms/overview';
import type { AlarmOverview } from '@/lib/alarms/service';

export type OverviewResponse = AlarmOverview & { serverTime: string };
export type HealthResponse = { environments: EnvironmentHealth[]; serverTime: string };

/** The overview's filters as they appear in the URL (only what is set). */
export type OverviewFilters = Partial<Record<'state' | 'env' | 'service' | 'q' | 'sort' | 'order' | 'region' | 'account', string>>;

const FILTER_KEYS = ['state', 'env', 'service', 'q', 'sort', 'order', 'region', 'account'] as const;
const REFRESH_MS = 15_000;
const HEALTH_REFRESH_MS = 30_000;
// The filters sit in one row: narrower than a form's full-width fields.
const field = 'w-auto px-2 py-1.5';

/** The query string of a set of filters, in a stable order (it is also the cache key). */
export function filterQuery(filters: OverviewFilters): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  return params.toString();
}

/** The server's clock as the browser estimates it (from the last answer), for "N s ago". */
function useServerNow(serverTime: string | undefined, receivedAt: number): number {
  const now = useNow(1_000);
  const skew = serverTime && receivedAt ? Date.parse(serverTime) - receivedAt : 0;
  return now ? now + skew : 0;
}

/** The columns every environment's table has, in the same widths so they line up down the page. */
function alarmColumns(t: Translate): DataTableColumn[] {
  return [
    { id: 'state', header: t('alarms.col.state'), width: 'w-28', className: 'whitespace-nowrap' },
    { id: 'service', header: t('tables.alarms.service'), width: 'w-28', className: 'whitespace-nowrap text-xs' },
    { id: 'name', header: t('alarms.col.name'), width: 'w-[30%]' },
    { id: 'metric', header: t('alarms.col.metric'), width: 'w-[18%]', sortable: false, className: 'text-xs text-muted' },
    { id: 'updated', header: t('alarms.col.since'), width: 'w-32', className: 'whitespace-nowrap text-xs' },
    { id: 'reason', header: t('alarms.col.reason'), sortable: false, className: 'text-xs text-muted' },
  ];
}

/** The server's sort as the table shows it (the overview sorts on the server; state first by default). */
function tableSort(filters: OverviewFilters): { id: string; desc: boolean } | null {
  return filters.sort ? { id: filters.sort, desc: filters.order === 'desc' } : null;
}

function alarmRow(item: OverviewItem, now: number, defaultRegion: string, hydrated: boolean, t: Translate, locale: Locale, zone: string): DataTableRow {
  const params = new URLSearchParams();
  if (item.region !== defaultRegion) params.set('region', item.region);
  // The account is part of the alarm's identity; the portal's own account needs no parameter.
  if (item.accountKey && item.accountKey !== 'home') params.set('account', item.accountKey);
  const href = `/alarms/${encodeURIComponent(item.name)}${params.size ? `?${params}` : ''}`;
  const metric =
    item.type === 'composite'
      ? t('alarms.composite')
      : `${item.metric === 'expression' ? t('alarms.expression') : (item.metric ?? '')}${item.threshold !== null ? ` ${COMPARISON_SYMBOL[item.comparison ?? ''] ?? ''} ${formatMetricValue(item.threshold, item.unit, locale)}` : ''}`;
  return {
    id: `${item.accountKey ?? ''}/${item.region}/${item.name}`,
    attrs: { 'data-testid': 'alarm-row', 'data-alarm': item.name, 'data-state': item.state, 'data-updated': item.stateUpdatedAt },
    values: { state: item.state, service: item.service, name: item.name, updated: item.stateUpdatedAt },
    cells: {
      state: <AlarmStateBadge state={item.state} t={t} />,
      service: item.service,
      name: (
        <>
          <Link href={href} className="font-mono text-xs text-primary underline-offset-2 hover:underline" title={item.name}>
            {truncateMiddle(item.name, 44)}
          </Link>
          {item.account?.accountId ? (
            <div>
              <AwsAccount account={item.account} />
            </div>
          ) : null}
        </>
      ),
      metric,
      updated:
        hydrated && now ? (
          <time dateTime={item.stateUpdatedAt} title={formatInstant(item.stateUpdatedAt, locale, zone, 'dateTime', { seconds: true })}>
            {formatAge(item.stateUpdatedAt, now, locale)}
          </time>
        ) : null,
      reason: (
        <span className="line-clamp-2" title={item.stateReason}>
          {item.stateReason}
        </span>
      ),
    },
  };
}

/**
 * The alarm overview: counts and health per environment, filters kept in the URL, and the alarms
 * grouped by environment and service, refreshed every 15 s without clearing what is shown.
 */
export function AlarmsOverview({
  initial,
  initialFilters,
  initialHealth,
  deployed,
  warning,
}: {
  initial: OverviewResponse | null;
  initialFilters: OverviewFilters;
  initialHealth: HealthResponse | null;
  /** What each environment runs, from the Deployments page's stack read (one source of truth). */
  deployed?: Partial<Record<string, DeployedRelease>>;
  warning: string | null;
}) {
  const { t, locale, zone } = useI18n();
  const hydrated = useHydrated();
  const columns = useMemo(() => alarmColumns(t), [t]);
  const [filters, setFilters] = useState<OverviewFilters>(initialFilters);
  const [search, setSearch] = useState(initialFilters.q ?? '');
  const initialKey = useMemo(() => filterQuery(initialFilters), [initialFilters]);
  const key = filterQuery(filters);

  // The search box waits for a pause in typing.
  useEffect(() => {
    const id = setTimeout(() => setFilters((f) => ((f.q ?? '') === search.trim() ? f : { ...f, q: search.trim() || undefined })), 300);
    return () => clearTimeout(id);
  }, [search]);

  // Filters live in the URL (shareable links) without a server round trip.
  useEffect(() => {
    const url = key ? `/alarms?${key}` : '/alarms';
    if (`${window.location.pathname}${window.location.search}` !== url) window.history.replaceState(null, '', url);
  }, [key]);

  const overview = useQuery({
    queryKey: ['alarms', key],
    queryFn: () => fetchJson<OverviewResponse>(`/api/v1/alarms${key ? `?${key}` : ''}`),
    initialData: key === initialKey && initial ? initial : undefined,
    initialDataUpdatedAt: initial ? Date.parse(initial.serverTime) : undefined,
    placeholderData: keepPreviousData,
    refetchInterval: REFRESH_MS,
  });
  const health = useQuery({
    queryKey: ['environment-health'],
    queryFn: () => fetchJson<HealthResponse>('/api/v1/health/envs'),
    initialData: initialHealth ?? undefined,
    initialDataUpdatedAt: initialHealth ? Date.parse(initialHealth.serverTime) : undefined,
    placeholderData: keepPreviousData,
    refetchInterval: HEALTH_REFRESH_MS,
  });

  const data = overview.data;
  const now = useServerNow(data?.serverTime, overview.dataUpdatedAt);
  const healthNow = useServerNow(health.data?.serverTime, health.dataUpdatedAt);
  const healthByEnv = new Map((health.data?.environments ?? []).map((h) => [h.environment, h]));
  const environments = [...new Set([...(data?.counts.map((c) => c.environment) ?? []), ...healthByEnv.keys()])];
  const set = (patch: OverviewFilters) => setFilters((f) => ({ ...f, ...patch }));
  const defaultRegion = data?.facets.regions[0] ?? '';

  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-bold">{t('alarms.title')}</h1>
        <p className="text-muted">{t('alarms.intro', { regions: data?.facets.regions.join(', ') ?? '' })}</p>
        {data ? <SourceStatusLine sources={data.sources} now={now} fetching={overview.isFetching} testId="alarms-updated" /> : null}
        <Alert>{overview.error ? t('alarms.fetchFailed', { message: overview.error.message }) : null}</Alert>
        <Alert tone="warn">{warning ? t('alarms.badQuery', { issues: warning }) : null}</Alert>
      </div>

      <section aria-label={t('alarms.environments')} className="grid gap-4 md:grid-cols-3">
        {environments.map((env) => {
          const counts = data?.counts.find((c) => c.environment === env)?.counts;
          const h = healthByEnv.get(env);
          return (
            <Card key={env} data-testid={`env-card-${env}`}>
              <h2 className="mb-2 text-base font-semibold">{env}</h2>
              {counts ? (
                <div className="mb-3 flex gap-2">
                  {ALARM_STATES.map((state) => (
                    <button
                      key={state}
                      type="button"
                      onClick={() => set({ env, state })}
                      aria-label={t('alarms.countLink', { count: counts[state], state: t(`alarms.state.${state}`), env })}
                      data-testid={`count-${env}-${state}`}
                      className={`flex-1 rounded-md border px-2 py-1 text-left ${state === 'ALARM' && counts.ALARM > 0 ? 'border-red-300 bg-red-50' : 'border-border'}`}
                    >
                      <span className="block text-lg font-semibold">{counts[state]}</span>
                      <span className="block text-xs text-muted">{t(`alarms.state.${state}`)}</span>
                    </button>
                  ))}
                </div>
              ) : null}
              {h ? <EnvironmentHealthView health={h} now={healthNow} inAlarm={counts?.ALARM ?? 0} deployed={deployed?.[env]} /> : null}
            </Card>
          );
        })}
      </section>
      <Alert>{health.error ? t('alarms.health.unavailable', { message: health.error.message }) : null}</Alert>

      <form className="flex flex-wrap items-end gap-3" aria-label={t('alarms.filters')} onSubmit={(e) => e.preventDefault()}>
        <Field id="alarm-filter-state" label={t('alarms.filter.state')}>
          <Select name="state" className={field} value={filters.state ?? ''} onChange={(e) => set({ state: e.target.value || undefined })}>
            <option value="">{t('alarms.filter.anyState')}</option>
            {ALARM_STATES.map((s: AlarmState) => (
              <option key={s} value={s}>
                {t(`alarms.state.${s}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="alarm-filter-env" label={t('alarms.filter.env')}>
          <Select name="env" className={field} value={filters.env ?? ''} onChange={(e) => set({ env: e.target.value || undefined })}>
            <option value="">{t('alarms.filter.anyEnv')}</option>
            {(data?.facets.environments ?? []).map((env) => (
              <option key={env} value={env}>
                {env}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="alarm-filter-service" label={t('alarms.filter.service')}>
          <Select name="service" className={field} value={filters.service ?? ''} onChange={(e) => set({ service: e.target.value || undefined })}>
            <option value="">{t('alarms.filter.anyService')}</option>
            {(data?.facets.services ?? []).map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </Select>
        </Field>
        {data?.facets.accounts ? (
          <Field id="alarm-filter-account" label={t('alarms.filter.account')}>
            <Select name="account" className={field} value={filters.account ?? ''} onChange={(e) => set({ account: e.target.value || undefined })}>
              <option value="">{t('alarms.filter.anyAccount')}</option>
              {data.facets.accounts.map((a) => (
                <option key={a.key} value={a.key}>
                  {accountLabel(a.account)}
                </option>
              ))}
            </Select>
          </Field>
        ) : null}
        <Field id="alarm-filter-q" label={t('alarms.filter.search')}>
          <Input
            type="search"
            name="q"
            className={field}
            value={search}
            placeholder={t('alarms.filter.searchPlaceholder')}
            onChange={(e) => setSearch(e.target.value)}
            maxLength={200}
          />
        </Field>
        <Field id="alarm-filter-sort" label={t('alarms.filter.sort')}>
          <Select
            name="sort"
            className={field}
            value={filters.sort ?? 'state'}
            onChange={(e) => set({ sort: e.target.value === 'state' ? undefined : e.target.value })}
          >
            {ALARM_SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`alarms.sort.${s}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="alarm-filter-order" label={t('alarms.filter.order')}>
          <Select name="order" className={field} value={filters.order ?? ''} onChange={(e) => set({ order: e.target.value || undefined })}>
            <option value="">{t('alarms.order.natural')}</option>
            <option value="asc">{t('alarms.order.asc')}</option>
            <option value="desc">{t('alarms.order.desc')}</option>
          </Select>
        </Field>
        {key && key !== `region=${filters.region}` ? (
          <Button
            type="button"
            variant="secondary"
            size="sm"
            onClick={() => {
              setSearch('');
              setFilters({ region: filters.region });
            }}
          >
            {t('alarms.filter.reset')}
          </Button>
        ) : null}
      </form>

      {data ? (
        <p className="text-sm text-muted" data-testid="alarms-matched">
          {t('alarms.matched', { matched: data.matched, total: data.total })}
        </p>
      ) : null}

      {data && data.groups.length === 0 ? <p className="text-sm text-muted">{t('alarms.empty')}</p> : null}
      <div className="space-y-6" data-testid="alarm-groups">
        {data?.groups.map((group) => (
          <section key={group.environment} aria-labelledby={`env-${group.environment}`} data-testid={`group-${group.environment}`}>
            <h2 id={`env-${group.environment}`} className="mb-2 flex items-center gap-3 text-lg font-semibold">
              {group.environment}
              {healthByEnv.get(group.environment) ? (
                <EnvironmentHealthView
                  health={healthByEnv.get(group.environment)!}
                  now={healthNow}
                  inAlarm={data.counts.find((c) => c.environment === group.environment)?.counts.ALARM ?? 0}
                  compact
                />
              ) : null}
            </h2>
            <Card className="p-3">
              {/* One table per environment, services as a column: the columns line up across services and environments. */}
              <DataTable
                columns={columns}
                fixedLayout
                search={false}
                caption={group.environment}
                controlledSort={{
                  sort: tableSort(filters),
                  onSortChange: (next) => set({ sort: next?.id, order: next ? (next.desc ? 'desc' : 'asc') : undefined }),
                }}
                rows={group.services.flatMap((service) => service.alarms.map((item) => alarmRow(item, now, defaultRegion, hydrated, t, locale, zone)))}
              />
            </Card>
          </section>
        ))}
      </div>
    </div>
  );
}
