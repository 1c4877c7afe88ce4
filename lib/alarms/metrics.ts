import type { AlarmRecord, MetricQuery, MetricRange } from '@/lib/alarms/model';

const RANGES: Record<MetricRange, { ms: number; period: number }> = {
  // 180 points at one minute, 288 at five minutes, 168 at one hour: enough for a chart, and well
  // under GetMetricData's 100,800 points per call.
  '3h': { ms: 3 * 3_600_000, period: 60 },
  '24h': { ms: 24 * 3_600_000, period: 300 },
  '7d': { ms: 7 * 86_400_000, period: 3_600 },
};

/**
 * The window and period for a chart: the range ending at the last whole minute, at the range's
 * period or the alarm's own if that is coarser (a finer one would show nothing the alarm sees).
 */
export function metricWindow(range: MetricRange, now: Date, alarmPeriod: number | null): { from: Date; to: Date; period: number } {
  const spec = RANGES[range];
  const period = Math.ceil(Math.max(spec.period, alarmPeriod ?? 60) / 60) * 60;
  const to = Math.floor(now.getTime() / 60_000) * 60_000;
  const from = Math.floor((to - spec.ms) / (period * 1000)) * period * 1000;
  return { from: new Date(from), to: new Date(to), period };
}

/**
 * The GetMetricData queries that draw what an alarm evaluates: its metric with its statistic, or
 * its metric-math queries, each metric at the chart's period. Null for a composite alarm.
 */
export function metricQueriesFor(alarm: AlarmRecord, period: number): MetricQuery[] | null {
  if (alarm.metric) {
    const { stat, ...metric } = alarm.metric;
    return [{ id: 'm1', label: alarm.metric.metricName, returnData: true, expression: null, metric: { ...metric, stat, period, unit: alarm.unit } }];
  }
  if (alarm.metrics?.length) {
    return alarm.metrics.map((q) => (q.metric ? { ...q, metric: { ...q.metric, period } } : q));
  }
  return null;
}
