'use client';

import dynamic from 'next/dynamic';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { AwsAccount } from '@/components/cloud/aws-account';
import { useI18n } from '@/components/i18n-provider';
import { fetchJson } from '@/components/fetch-json';
import { Time } from '@/components/time';
import { formatAge, formatInstant } from '@/lib/i18n/format';
import { SetStateForm, type SetStateInput } from '@/components/alarms/set-state-form';
import { SourceStatusLine } from '@/components/alarms/source-status';
import { AlarmStateBadge, COMPARISON_SYMBOL } from '@/components/alarms/state-badge';
import { useHydrated, useNow } from '@/components/alarms/use-clock';
import type { ActionResult } from '@/lib/action-result';
import { Alert } from '@/components/ui/alert';
import { Card, CardTitle } from '@/components/ui/card';
import { cn } from '@/components/ui/cn';
import { METRIC_RANGES, type MetricRange } from '@/lib/alarms/model';
import type { AlarmDetail, AlarmMetrics } from '@/lib/alarms/service';
import type { MessageKey } from '@/lib/i18n/messages';
import { formatMetricValue } from '@/lib/alarms/units';

// recharts is fetched only when the chart is drawn, after the alarm's facts (docs/decisions/052-page-weight-budget.md).
const MetricChart = dynamic(() => import('@/components/alarms/metric-chart').then((m) => m.MetricChart), {
  ssr: false,
  loading: () => <div className="h-72 w-full animate-pulse rounded-md bg-border/30" />,
});

export type DetailResponse = AlarmDetail & { serverTime: string };
export type MetricsResponse = AlarmMetrics & { serverTime: string };

const REFRESH_MS = 15_000;
const HISTORY_SHOWN = 20;
const METRICS_REFRESH_MS = 60_000;

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="text-muted">{label}</dt>
      <dd className="break-words">{children}</dd>
    </>
  );
}

/** The last name of an ARN (topic, function with alias): arn:aws:lambda:…:function:serverless-prod-notifier:live -> serverless-prod-notifier:live. */
function shortArn(arn: string): string {
  const parts = arn.split(':');
  if (parts[2] === 'lambda' && parts[5] === 'function') return parts.slice(6).join(':');
  return parts.slice(5).join(':') || arn;
}

/**
 * One alarm: state and reason, definition, the metric chart (3 h / 24 h / 7 d) with threshold and
 * ALARM periods, the history, and where it goes (actions -> SNS subscriptions). Refreshed every
 * 15 s (the chart every minute) without clearing what is shown.
 */
export function AlarmDetailView({
  initial,
  initialMetrics,
  setState,
}: {
  initial: DetailResponse;
  initialMetrics: MetricsResponse | null;
  /** The sandbox's "set state" for ops and admins; absent otherwise. */
  setState?: (input: SetStateInput) => Promise<ActionResult>;
}) {
  const { t, locale, zone } = useI18n();
  const hydrated = useHydrated();
  const region = initial.alarm.region;
  const name = initial.alarm.name;
  // The account is part of the alarm's identity: every request about it names it (the portal's own needs none).
  const accountKey = initial.alarm.accountKey && initial.alarm.accountKey !== 'home' ? initial.alarm.accountKey : null;
  const inAccount = accountKey ? `&account=${accountKey}` : '';
  const base = `/api/v1/alarms/${encodeURIComponent(name)}`;
  const [range, setRange] = useState<MetricRange>('3h');
  const [allHistory, setAllHistory] = useState(false);

  const detail = useQuery({
    queryKey: ['alarm', accountKey, region, name],
    queryFn: () => fetchJson<DetailResponse>(`${base}?region=${region}${inAccount}`),
    initialData: initial,
    initialDataUpdatedAt: Date.parse(initial.serverTime),
    placeholderData: keepPreviousData,
    refetchInterval: REFRESH_MS,
  });
  const metrics = useQuery({
    queryKey: ['alarm-metrics', accountKey, region, name, range],
    queryFn: () => fetchJson<MetricsResponse>(`${base}/metrics?region=${region}&range=${range}${inAccount}`),
    initialData: range === '3h' && initialMetrics ? initialMetrics : undefined,
    initialDataUpdatedAt: initialMetrics ? Date.parse(initialMetrics.serverTime) : undefined,
    placeholderData: keepPreviousData,
    refetchInterval: METRICS_REFRESH_MS,
  });

  const clock = useNow(1_000);
  const now = clock ? clock + (Date.parse(detail.data.serverTime) - detail.dataUpdatedAt || 0) : 0;
  const d = detail.data;
  const a = d.alarm;
  const m = metrics.data;
  const metricName = a.metric ? `${a.metric.namespace} ${a.metric.metricName}` : a.metrics ? t('alarms.expression') : '';

  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <Link href="/alarms" className="text-sm text-primary underline">
          ← {t('alarms.detail.back')}
        </Link>
        <h1 className="break-all font-mono text-xl font-bold" data-testid="alarm-name">
          {a.name}
        </h1>
        <p className="flex flex-wrap items-center gap-2 text-sm">
          <AlarmStateBadge state={a.state} t={t} />
          {hydrated && now ? (
            <span className="text-muted" data-testid="alarm-since">
              {t('alarms.detail.since', { time: formatInstant(a.stateUpdatedAt, locale, zone, 'dateTime', { seconds: true }) })} (
              {formatAge(a.stateUpdatedAt, now, locale)})
            </span>
          ) : null}
          <a href={d.consoleUrl} target="_blank" rel="noreferrer noopener" className="text-primary underline">
            {t('alarms.detail.console')} ↗
          </a>
        </p>
        {a.description ? <p className="text-muted">{a.description}</p> : null}
        <SourceStatusLine sources={[d.source]} now={now} fetching={detail.isFetching} testId="detail-updated" />
        <Alert>{detail.error ? t('alarms.fetchFailed', { message: detail.error.message }) : null}</Alert>
      </div>

      <Card>
        <CardTitle>{t('alarms.detail.reason')}</CardTitle>
        <p className="break-words text-sm" data-testid="alarm-reason">
          {a.stateReason}
        </p>
      </Card>

      <Card>
        <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
          <h2 className="text-base font-semibold">{t('alarms.chart.title')}</h2>
          {a.type === 'metric' ? (
            <div role="group" aria-label={t('alarms.chart.range')} className="inline-flex overflow-hidden rounded-md border border-border">
              {METRIC_RANGES.map((r) => (
                <button
                  key={r}
                  type="button"
                  aria-pressed={r === range}
                  onClick={() => setRange(r)}
                  className={cn('px-3 py-1 text-sm', r === range ? 'bg-primary text-primary-fg' : 'bg-surface hover:bg-slate-100')}
                >
                  {t(`alarms.range.${r}`)}
                </button>
              ))}
            </div>
          ) : null}
        </div>
        {a.type === 'composite' ? (
          <p className="text-sm text-muted">{t('alarms.chart.composite')}</p>
        ) : !m ? (
          <p className="text-sm text-muted">{metrics.error ? t('alarms.fetchFailed', { message: metrics.error.message }) : t('alarms.chart.loading')}</p>
        ) : (
          <div className={cn('space-y-2', metrics.isPlaceholderData && 'opacity-60')}>
            <p className="text-xs text-muted">
              {metricName} · {a.metric?.stat ?? ''} · {t('alarms.chart.period', { seconds: m.period })} · {t('alarms.chart.inAlarm')}
            </p>
            {m.series.every((s) => s.points.length === 0) ? (
              <p className="text-sm text-muted">{t('alarms.chart.noData')}</p>
            ) : (
              <MetricChart
                series={m.series}
                threshold={m.threshold}
                periods={m.alarmPeriods}
                from={m.from}
                to={m.to}
                range={m.range}
                unit={a.unit}
                label={t('alarms.chart.label', {
                  metric: metricName,
                  range: t(`alarms.range.${m.range}`),
                  threshold: m.threshold === null ? '—' : formatMetricValue(m.threshold, a.unit, locale),
                })}
              />
            )}
            {m.series.some((s) => s.partial) ? <p className="text-xs text-warn">{t('alarms.chart.partial')}</p> : null}
            <SourceStatusLine sources={[m.status]} now={now} fetching={metrics.isFetching} testId="metrics-updated" />
          </div>
        )}
      </Card>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card>
          <CardTitle>{t('alarms.detail.definition')}</CardTitle>
          <dl className="grid grid-cols-[fit-content(40%)_minmax(0,1fr)] gap-x-4 gap-y-1 text-sm [overflow-wrap:anywhere]">
            <Row label={t('alarms.detail.environment')}>{a.environment}</Row>
            <Row label={t('alarms.detail.service')}>{a.service}</Row>
            {a.account?.accountId ? (
              <Row label={t('alarms.detail.account')}>
                <AwsAccount account={a.account} />
              </Row>
            ) : null}
            <Row label={t('alarms.detail.region')}>{a.region}</Row>
            {a.metric ? (
              <>
                <Row label={t('alarms.detail.metric')}>
                  <span className="font-mono text-xs">{`${a.metric.namespace} · ${a.metric.metricName}`}</span>
                </Row>
                <Row label={t('alarms.detail.dimensions')}>
                  <span className="font-mono text-xs">{a.metric.dimensions.map((x) => `${x.name}=${x.value}`).join(', ') || '—'}</span>
                </Row>
                <Row label={t('alarms.detail.statistic')}>{a.metric.stat}</Row>
              </>
            ) : null}
            {a.metrics ? (
              <Row label={t('alarms.detail.queries')}>
                <ul className="font-mono text-xs">
                  {a.metrics.map((q) => (
                    <li key={q.id}>
                      {q.id}: {q.expression ?? `${q.metric?.namespace} ${q.metric?.metricName} ${q.metric?.stat}`}
                      {q.returnData ? ' ←' : ''}
                    </li>
                  ))}
                </ul>
              </Row>
            ) : null}
            {a.period !== null ? <Row label={t('alarms.detail.period')}>{t('alarms.detail.seconds', { seconds: a.period })}</Row> : null}
            {a.threshold !== null ? (
              <Row label={t('alarms.detail.threshold')}>
                {COMPARISON_SYMBOL[a.comparison ?? ''] ?? a.comparison} {formatMetricValue(a.threshold, a.unit, locale)}
              </Row>
            ) : null}
            {a.evaluationPeriods !== null ? (
              <Row label={t('alarms.detail.evaluation')}>
                {t('alarms.detail.evaluationValue', { datapoints: a.datapointsToAlarm ?? a.evaluationPeriods, periods: a.evaluationPeriods })}
              </Row>
            ) : null}
            {a.treatMissingData ? <Row label={t('alarms.detail.missing')}>{a.treatMissingData}</Row> : null}
            {a.rule ? (
              <Row label={t('alarms.detail.rule')}>
                <span className="font-mono text-xs">{a.rule}</span>
              </Row>
            ) : null}
          </dl>
          {d.children.length ? (
            <div className="mt-4">
              <h3 className="mb-1 text-sm font-semibold">{t('alarms.detail.children')}</h3>
              <ul className="space-y-1 text-sm" data-testid="alarm-children">
                {d.children.map((c) => (
                  <li key={c.name} className="flex items-center gap-2">
                    {c.state ? <AlarmStateBadge state={c.state} t={t} /> : <span className="text-xs text-muted">{t('alarms.detail.unknownState')}</span>}
                    <Link className="font-mono text-xs text-primary underline" href={`/alarms/${encodeURIComponent(c.name)}?region=${region}${inAccount}`}>
                      {c.name}
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </Card>

        <Card>
          <CardTitle>{t('alarms.actions.title')}</CardTitle>
          {!a.actionsEnabled ? <p className="mb-2 text-sm text-warn">{t('alarms.actions.disabled')}</p> : null}
          {d.actions.length === 0 ? (
            <p className="text-sm text-warn">{t('alarms.actions.none')}</p>
          ) : (
            <ul className="space-y-3 text-sm" data-testid="alarm-actions">
              {d.actions.map((action) => (
                <li key={action.arn}>
                  <p>
                    <span className="font-medium">{t(`alarms.actions.kind.${action.kind}` as MessageKey)}</span>{' '}
                    <span className="font-mono text-xs">{shortArn(action.arn)}</span>{' '}
                    <span className="text-xs text-muted">{t('alarms.actions.on', { states: action.on.map((s) => t(`alarms.state.${s}`)).join(', ') })}</span>
                  </p>
                  {action.error ? <p className="text-xs text-danger">{t('alarms.actions.subscriptionsFailed', { message: action.error })}</p> : null}
                  {action.subscriptions?.length === 0 ? <p className="text-xs text-warn">{t('alarms.actions.noSubscriptions')}</p> : null}
                  {action.subscriptions?.length ? (
                    <ul className="ml-4 mt-1 space-y-1">
                      {action.subscriptions.map((s) => (
                        <li key={s.arn} className="font-mono text-xs" data-testid="subscription">
                          → {s.protocol} {s.protocol === 'lambda' ? shortArn(s.endpoint) : s.endpoint}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>

      {setState ? (
        <Card>
          <CardTitle>{t('alarms.setState.title')}</CardTitle>
          <SetStateForm name={a.name} region={region} account={accountKey ?? undefined} current={a.state} run={setState} />
        </Card>
      ) : null}

      <Card>
        <CardTitle>{t('alarms.history.title')}</CardTitle>
        <SourceStatusLine sources={[d.history.status]} now={now} />
        {d.history.items.length === 0 ? (
          <p className="text-sm text-muted">{t('alarms.history.empty')}</p>
        ) : (
          <ol className="relative mt-2 space-y-3 border-l border-border pl-4" data-testid="alarm-history">
            {(allHistory ? d.history.items : d.history.items.slice(0, HISTORY_SHOWN)).map((h, i) => (
              <li key={`${h.timestamp}-${i}`} className="text-sm" data-type={h.type}>
                <span
                  className={cn(
                    'absolute -left-1.5 mt-1.5 h-3 w-3 rounded-full border border-white',
                    h.newState === 'ALARM' ? 'bg-red-600' : h.newState === 'OK' ? 'bg-green-600' : h.newState ? 'bg-amber-500' : 'bg-slate-300',
                  )}
                />
                <p className="flex flex-wrap items-center gap-2">
                  <Time value={h.timestamp} seconds className="text-xs text-muted" />
                  <span className="text-xs font-medium">{t(`alarms.history.type.${h.type}` as MessageKey) ?? h.type}</span>
                  {h.newState ? (
                    <>
                      {h.oldState ? <AlarmStateBadge state={h.oldState} t={t} /> : null}→<AlarmStateBadge state={h.newState} t={t} />
                    </>
                  ) : (
                    <span className="break-all text-xs">{h.summary}</span>
                  )}
                </p>
                {h.reason ? <p className="mt-1 break-words text-xs text-muted">{h.reason}</p> : null}
              </li>
            ))}
          </ol>
        )}
        {!allHistory && d.history.items.length > HISTORY_SHOWN ? (
          <button type="button" className="mt-3 text-sm text-primary underline" onClick={() => setAllHistory(true)}>
            {t('alarms.history.more', { count: d.history.items.length })}
          </button>
        ) : null}
      </Card>
    </div>
  );
}
