import { pctFormat, usdFormat } from '@/components/costs/format';
import { StackedBars } from '@/components/costs/stacked-bars';
import { Card, CardTitle } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { AwsAccount } from '@/components/cloud/aws-account';
import type { Breakdown, CostOverview } from '@/lib/costs/billed';
import type { CostAccount } from '@/lib/costs/service';
import type { Translate } from '@/lib/i18n/messages';

interface Formats {
  t: Translate;
  money: Intl.NumberFormat;
  pct: Intl.NumberFormat;
}

/** The account an environment row's cost comes from (an account shared by environments is named once for `dev+staging`). */
function accountOfRow(key: string, accounts: CostAccount[] | undefined): CostAccount | undefined {
  return accounts?.find((a) => a.environments.join('+') === key || (a.environments as readonly string[]).includes(key));
}

function BreakdownTable({
  rows,
  title,
  t,
  money,
  pct,
  testId,
  accounts,
  periodNote,
}: Formats & { rows: Breakdown[]; title: string; testId: string; accounts?: CostAccount[]; periodNote: string }) {
  return (
    <Card>
      <CardTitle>{title}</CardTitle>
      <p className="mb-2 text-xs text-muted" data-testid={`${testId}-periods`}>
        {periodNote}
      </p>
      <Table data-testid={testId}>
        <thead>
          <tr>
            <Th>{title}</Th>
            <Th className="text-right">{t('costs.col.now')}</Th>
            <Th className="text-right">{t('costs.col.before')}</Th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <Td>
                {r.key || <span className="text-muted">{t('costs.untagged')}</span>}
                {accounts ? (
                  <div>
                    <AwsAccount account={accountOfRow(r.key, accounts)} />
                  </div>
                ) : null}
              </Td>
              <Td className="text-right tabular-nums">{money.format(r.thisMonth)}</Td>
              <Td className="text-right tabular-nums text-muted">
                {money.format(r.samePeriodLastMonth)}
                {r.samePeriodLastMonth > 0 ? (
                  <span className="ml-2 text-xs">({pct.format((r.thisMonth - r.samePeriodLastMonth) / r.samePeriodLastMonth)})</span>
                ) : null}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Card>
  );
}

function Kpis({ overview, t, money, pct }: Formats & { overview: CostOverview }) {
  const changeText = (v: number | null) => (v === null ? t('costs.noChange') : pct.format(v));
  const forecast = overview.forecast;
  return (
    <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
      <Card data-testid="kpi-mtd">
        <p className="text-sm text-muted">{t('costs.kpi.mtd')}</p>
        <p className="text-2xl font-bold tabular-nums">{money.format(overview.monthToDate)}</p>
        <p className="text-xs text-muted">{t('costs.kpi.mtdChange', { change: changeText(overview.changeVsSamePeriod) })}</p>
      </Card>
      <Card data-testid="kpi-last-month">
        <p className="text-sm text-muted">{t('costs.kpi.lastMonth')}</p>
        <p className="text-2xl font-bold tabular-nums">{money.format(overview.lastMonth)}</p>
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
        <p className={`text-2xl font-bold tabular-nums ${forecast ? '' : 'text-muted'}`}>
          {forecast ? changeText(forecast.changeVsLastMonth) : t('costs.forecastUnavailable.short')}
        </p>
        <p className="text-xs text-muted">{t('costs.kpi.changeNote')}</p>
      </Card>
    </div>
  );
}

function TopMovers({ movers, t, money, pct }: Formats & { movers: CostOverview['topMovers'] }) {
  return (
    <Card>
      <CardTitle>{t('costs.movers')}</CardTitle>
      {movers.length === 0 ? (
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
            {movers.map((m) => (
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
  );
}

function ForecastNext({ forecast, t, money, monthLabel }: Omit<Formats, 'pct'> & { forecast: CostOverview['forecast']; monthLabel: Intl.DateTimeFormat }) {
  return (
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
  );
}

/** The figures of the cost overview: KPIs, daily and monthly charts, breakdowns, top movers and the forecast. */
export function CostFigures({
  overview,
  t,
  locale,
  accounts,
}: {
  overview: CostOverview;
  t: Translate;
  locale: string;
  /** With configured accounts: each environment's account, shown beside its cost (docs/decisions/039). */
  accounts?: CostAccount[];
}) {
  const formats = { t, money: usdFormat(locale), pct: pctFormat(locale) };
  const dayLabel = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const monthLabel = new Intl.DateTimeFormat(locale, { year: '2-digit', month: 'short', timeZone: 'UTC' });
  const day = (date: string) => dayLabel.format(new Date(`${date}T00:00:00Z`));
  const { current, previous } = overview.periods;
  const periodNote = t('tables.costs.periods', { from: day(current.from), to: day(current.to), prevFrom: day(previous.from), prevTo: day(previous.to) });
  const partial = overview.daily.find((d) => d.partial);
  return (
    <>
      <Kpis overview={overview} {...formats} />
      <Card>
        <StackedBars
          testId="chart-daily"
          title={t('costs.chart.daily')}
          series={overview.services}
          // Today's bar is still growing: its label says so, and so does the note under the chart.
          rows={overview.daily.map((d) => ({ label: d.partial ? `${day(d.date)} (${t('tables.costs.partial')})` : day(d.date), values: d.values }))}
        />
        {partial ? (
          <p className="mt-2 text-xs text-muted" data-testid="partial-day">
            {t('tables.costs.partialNote', { date: day(partial.date) })}
          </p>
        ) : null}
      </Card>
      <Card>
        <StackedBars
          testId="chart-monthly"
          title={t('costs.chart.monthly')}
          series={overview.services}
          rows={overview.monthly.map((m) => ({ label: monthLabel.format(new Date(`${m.month}-01T00:00:00Z`)), values: m.values }))}
        />
        <p className="mt-2 text-xs text-muted">{t('costs.chart.estimated')}</p>
      </Card>

      <div className="grid gap-4 lg:grid-cols-2">
        <BreakdownTable rows={overview.byEnv} title={t('costs.byEnv')} testId="by-env" accounts={accounts} periodNote={periodNote} {...formats} />
        <BreakdownTable rows={overview.byTeam} title={t('costs.byTeam')} testId="by-team" periodNote={periodNote} {...formats} />
      </div>

      <div className="grid gap-4 lg:grid-cols-2">
        <TopMovers movers={overview.topMovers} {...formats} />
        <ForecastNext forecast={overview.forecast} monthLabel={monthLabel} {...formats} />
      </div>
    </>
  );
}
