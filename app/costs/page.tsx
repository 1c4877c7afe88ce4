import type { Metadata } from 'next';
import Link from 'next/link';
import { refreshCostsAction } from '@/app/costs/actions';
import { CostTabs } from '@/components/costs/cost-tabs';
import { pctFormat, usdFormat } from '@/components/costs/format';
import { LocalTime } from '@/components/costs/local-time';
import { StackedBars } from '@/components/costs/stacked-bars';
import { RefreshCostsButton } from '@/components/costs/refresh-button';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import type { Breakdown } from '@/lib/costs/billed';
import { COST_BASES, costOverviewQuerySchema } from '@/lib/costs/schemas';
import { ENVIRONMENT_SLUGS } from '@/lib/environments';
import type { MessageKey, Translate } from '@/lib/i18n/messages';
import { requirePermission } from '@/lib/server/auth/guards';
import { can } from '@/lib/server/auth/permissions';
import { getCostOverview } from '@/lib/server/costs';
import { listTeams } from '@/lib/server/db/repositories/teams';
import { env } from '@/lib/server/env';
import { getTranslator } from '@/lib/server/i18n/locale';

export const metadata: Metadata = { title: 'Costs' };

type SearchParams = Record<string, string | string[] | undefined>;

const LABELS: Record<string, MessageKey> = { basis: 'costs.filter.basis', env: 'costs.filter.env', team: 'costs.filter.team' };
const fieldClass = 'rounded-md border border-border bg-surface px-2 py-1.5';

function BreakdownTable({ rows, title, t, money, pct, testId }: { rows: Breakdown[]; title: string; t: Translate; money: Intl.NumberFormat; pct: Intl.NumberFormat; testId: string }) {
  return (
    <Card>
      <CardTitle>{title}</CardTitle>
      <Table data-testid={testId}>
        <thead>
          <tr>
            <Th>{title}</Th>
            <Th className="text-right">{t('costs.col.thisMonth')}</Th>
            <Th className="text-right">{t('costs.col.lastMonth')}</Th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <Td>{r.key || <span className="text-muted">{t('costs.untagged')}</span>}</Td>
              <Td className="text-right tabular-nums">{money.format(r.thisMonth)}</Td>
              <Td className="text-right tabular-nums text-muted">
                {money.format(r.lastMonth)}
                {r.lastMonth > 0 ? <span className="ml-2 text-xs">({pct.format((r.thisMonth - r.lastMonth) / r.lastMonth)})</span> : null}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Card>
  );
}

export default async function CostsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission('costs.read', '/costs');
  const raw = await searchParams;
  const parsed = costOverviewQuerySchema.safeParse(raw);
  const [{ t, locale }, teams, view] = await Promise.all([
    getTranslator(),
    listTeams(),
    // Bad filters show no figures: an unfiltered view could be mistaken for the filtered one.
    parsed.success ? getCostOverview(parsed.data) : Promise.resolve(null),
  ]);
  const money = usdFormat(locale);
  const pct = pctFormat(locale);
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const dayLabel = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const monthLabel = new Intl.DateTimeFormat(locale, { year: '2-digit', month: 'short', timeZone: 'UTC' });
  const query = parsed.success ? parsed.data : null;
  const text = (key: string) => (typeof raw[key] === 'string' ? (raw[key] as string) : '');
  const basisName = (b: (typeof COST_BASES)[number]) => t(`costs.basis.${b}`);
  // The time sits where each language's sentence puts it.
  const [asOfBefore = '', asOfAfter = ''] = t('costs.asOf', { time: '\u0000' }).split('\u0000');
  const changeText = (v: number | null) => (v === null ? t('costs.noChange') : pct.format(v));
  const forecast = view?.overview.forecast ?? null;
  const unavailable = view?.forecastUnavailable ?? null;
  const [retryBefore = '', retryAfter = ''] = unavailable ? t('costs.forecastUnavailable', { code: unavailable.code, time: '\u0000' }).split('\u0000') : [];

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">{t('costs.title')}</h1>
          <p className="text-sm text-muted">{t('costs.intro')}</p>
        </div>
        <CostTabs current="overview" labels={{ nav: t('costs.tabs'), overview: t('costs.tab.overview'), model: t('costs.tab.model') }} />
      </div>

      <form method="get" action="/costs" aria-label={t('costs.filters')} className="flex flex-wrap items-end gap-3 text-sm">
        <label className="flex flex-col gap-1">
          <span className="font-medium">{t('costs.filter.basis')}</span>
          <select name="basis" defaultValue={query?.basis ?? 'unblended'} className={fieldClass}>
            {COST_BASES.map((b) => (
              <option key={b} value={b}>
                {basisName(b)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="font-medium">{t('costs.filter.env')}</span>
          <select name="env" defaultValue={query?.env ?? ''} className={fieldClass}>
            <option value="">{t('costs.filter.any')}</option>
            {ENVIRONMENT_SLUGS.map((e) => (
              <option key={e} value={e}>
                {e}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="font-medium">{t('costs.filter.team')}</span>
          <select name="team" defaultValue={query?.team ?? text('team')} className={fieldClass}>
            <option value="">{t('costs.filter.any')}</option>
            {teams.map((tm) => (
              <option key={tm.slug} value={tm.slug}>
                {tm.name}
              </option>
            ))}
          </select>
        </label>
        <Button type="submit" size="sm">
          {t('costs.filter.apply')}
        </Button>
        <Link href="/costs" className="pb-1.5 text-primary underline">
          {t('costs.filter.clear')}
        </Link>
      </form>

      {!parsed.success ? (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-danger">
          <p className="font-medium">{t('costs.invalid')}</p>
          <ul className="mt-1 list-disc pl-5">
            {parsed.error.issues.map((issue, i) => {
              const key = String(issue.path[0] ?? issue.code);
              const keys = 'keys' in issue && Array.isArray(issue.keys) ? `: ${issue.keys.join(', ')}` : '';
              return <li key={i}>{`${LABELS[key] ? t(LABELS[key]) : key}${keys}: ${issue.message}`}</li>;
            })}
          </ul>
        </div>
      ) : null}

      {view && query ? (
        <>
          <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm" data-testid="cost-status">
            <Badge tone="info" data-testid="cost-basis">
              {t('costs.basisLabel', { basis: basisName(query.basis) })}
            </Badge>
            <span className="text-muted">
              {asOfBefore}
              <LocalTime iso={view.asOf.toISOString()} serverText={when.format(view.asOf)} />
              {asOfAfter}
              {view.mode === 'sandbox' ? ` · ${t('costs.sandboxData')}` : ''}
            </span>
            <span className="text-muted" data-testid="cost-requests">
              {t(view.mode === 'sandbox' ? 'costs.requests.sandbox' : 'costs.requests', {
                count: view.requestsThisMonth.count,
                cost: money.format(view.requestsThisMonth.usd),
              })}
            </span>
            <span className="text-xs text-muted">{t('costs.refreshEvery', { hours: env().GATEHOUSE_COST_REFRESH_HOURS })}</span>
            {can(actor, 'costs.refresh') ? <RefreshCostsButton run={refreshCostsAction} input={query} /> : null}
          </div>
          <p className="text-xs text-muted">{t(`costs.basis.explain.${query.basis}`)}</p>
          {view.stale ? (
            <p role="status" className="text-sm text-warn">
              {t('costs.stale')}
            </p>
          ) : null}
          {unavailable ? (
            // The billed figures below are real; only the forecast is missing (decision 027).
            <p role="status" className="text-sm text-warn" data-testid="forecast-unavailable">
              {retryBefore}
              <LocalTime iso={unavailable.retryAt.toISOString()} serverText={when.format(unavailable.retryAt)} />
              {retryAfter}
            </p>
          ) : null}

          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
            <Card data-testid="kpi-mtd">
              <p className="text-sm text-muted">{t('costs.kpi.mtd')}</p>
              <p className="text-2xl font-bold tabular-nums">{money.format(view.overview.monthToDate)}</p>
              <p className="text-xs text-muted">{t('costs.kpi.mtdChange', { change: changeText(view.overview.changeVsSamePeriod) })}</p>
            </Card>
            <Card data-testid="kpi-last-month">
              <p className="text-sm text-muted">{t('costs.kpi.lastMonth')}</p>
              <p className="text-2xl font-bold tabular-nums">{money.format(view.overview.lastMonth)}</p>
            </Card>
            <Card data-testid="kpi-forecast">
              <p className="text-sm text-muted">{t('costs.kpi.forecast')}</p>
              {forecast ? (
                <>
                  <p className="text-2xl font-bold tabular-nums">{money.format(forecast.month.mean)}</p>
                  <p className="text-xs text-muted">
                    {t('costs.kpi.band', { confidence: forecast.confidence, lower: money.format(forecast.month.lower), upper: money.format(forecast.month.upper) })}
                  </p>
                </>
              ) : (
                <p className="text-2xl font-bold text-muted">{t('costs.forecastUnavailable.short')}</p>
              )}
            </Card>
            <Card data-testid="kpi-change">
              <p className="text-sm text-muted">{t('costs.kpi.change')}</p>
              <p className={`text-2xl font-bold tabular-nums ${forecast ? '' : 'text-muted'}`}>{forecast ? changeText(forecast.changeVsLastMonth) : t('costs.forecastUnavailable.short')}</p>
              <p className="text-xs text-muted">{t('costs.kpi.changeNote')}</p>
            </Card>
          </div>

          <Card>
            <StackedBars
              testId="chart-daily"
              title={t('costs.chart.daily')}
              series={view.overview.services}
              rows={view.overview.daily.map((d) => ({ label: dayLabel.format(new Date(`${d.date}T00:00:00Z`)), values: d.values }))}
            />
          </Card>
          <Card>
            <StackedBars
              testId="chart-monthly"
              title={t('costs.chart.monthly')}
              series={view.overview.services}
              rows={view.overview.monthly.map((m) => ({ label: monthLabel.format(new Date(`${m.month}-01T00:00:00Z`)), values: m.values }))}
            />
            <p className="mt-2 text-xs text-muted">{t('costs.chart.estimated')}</p>
          </Card>

          <div className="grid gap-4 lg:grid-cols-2">
            <BreakdownTable rows={view.overview.byEnv} title={t('costs.byEnv')} t={t} money={money} pct={pct} testId="by-env" />
            <BreakdownTable rows={view.overview.byTeam} title={t('costs.byTeam')} t={t} money={money} pct={pct} testId="by-team" />
          </div>

          <div className="grid gap-4 lg:grid-cols-2">
            <Card>
              <CardTitle>{t('costs.movers')}</CardTitle>
              {view.overview.topMovers.length === 0 ? (
                <p className="text-sm text-muted">{t('costs.movers.none')}</p>
              ) : (
                <Table data-testid="top-movers">
                  <thead>
                    <tr>
                      <Th>{t('costs.col.service')}</Th>
                      <Th className="text-right">{t('costs.col.now')}</Th>
                      <Th className="text-right">{t('costs.col.before')}</Th>
                      <Th className="text-right">{t('costs.col.change')}</Th>
                    </tr>
                  </thead>
                  <tbody>
                    {view.overview.topMovers.map((m) => (
                      <tr key={m.service}>
                        <Td>{m.service}</Td>
                        <Td className="text-right tabular-nums">{money.format(m.current)}</Td>
                        <Td className="text-right tabular-nums text-muted">{money.format(m.previous)}</Td>
                        <Td className={`text-right tabular-nums ${m.delta > 0 ? 'text-danger' : 'text-ok'}`}>
                          {money.format(m.delta)} {m.pct === null ? '' : `(${pct.format(m.pct)})`}
                        </Td>
                      </tr>
                    ))}
                  </tbody>
                </Table>
              )}
            </Card>
            <Card>
              <CardTitle>{t('costs.forecastNext')}</CardTitle>
              {!forecast ? (
                <p className="text-sm text-muted">{t('costs.forecastUnavailable.short')}</p>
              ) : forecast.next.length === 0 ? (
                <p className="text-sm text-muted">{t('costs.forecastNone')}</p>
              ) : (
                <Table data-testid="forecast-next">
                  <thead>
                    <tr>
                      <Th>{t('costs.col.month')}</Th>
                      <Th className="text-right">{t('costs.col.forecast')}</Th>
                      <Th className="text-right">{t('costs.col.range')}</Th>
                    </tr>
                  </thead>
                  <tbody>
                    {forecast.next.map((f) => (
                      <tr key={f.month}>
                        <Td>{monthLabel.format(new Date(`${f.month}-01T00:00:00Z`))}</Td>
                        <Td className="text-right tabular-nums">{money.format(f.mean)}</Td>
                        <Td className="text-right tabular-nums text-muted">
                          {money.format(f.lower)} – {money.format(f.upper)}
                        </Td>
                      </tr>
                    ))}
                  </tbody>
                </Table>
              )}
            </Card>
          </div>
        </>
      ) : null}
    </div>
  );
}
