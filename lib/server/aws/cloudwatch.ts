import 'server-only';
import {
  CloudWatchClient,
  paginateDescribeAlarmHistory,
  paginateDescribeAlarms,
  paginateGetMetricData,
  SetAlarmStateCommand,
  type CompositeAlarm,
  type Dimension as AwsDimension,
  type MetricAlarm,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { ALARM_STATES, type AlarmRecord, type AlarmState, type Dimension, type MetricQuery, type MetricSeries } from '@/lib/alarms/model';
import type { CloudWatchPort } from '@/lib/alarms/ports';
import { toAppError } from '@/lib/server/aws/errors';

async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw toAppError(e, `CloudWatch ${operation}`);
  }
}

const dimensions = (dims: AwsDimension[] | undefined): Dimension[] => (dims ?? []).map((d) => ({ name: d.Name ?? '', value: d.Value ?? '' }));

function stateOf(value: string | undefined): AlarmState {
  return (ALARM_STATES as readonly string[]).includes(value ?? '') ? (value as AlarmState) : 'INSUFFICIENT_DATA';
}

/** When the state last changed (StateTransitionedTimestamp; older APIs only give StateUpdatedTimestamp). */
function stateSince(a: MetricAlarm | CompositeAlarm): string {
  return (a.StateTransitionedTimestamp ?? a.StateUpdatedTimestamp ?? new Date(0)).toISOString();
}

function common(region: string, a: MetricAlarm | CompositeAlarm) {
  return {
    region,
    name: a.AlarmName ?? '',
    arn: a.AlarmArn ?? '',
    description: a.AlarmDescription ?? null,
    state: stateOf(a.StateValue),
    stateReason: a.StateReason ?? '',
    stateUpdatedAt: stateSince(a),
    actionsEnabled: a.ActionsEnabled ?? true,
    alarmActions: a.AlarmActions ?? [],
    okActions: a.OKActions ?? [],
    insufficientDataActions: a.InsufficientDataActions ?? [],
  };
}

/** A metric alarm (single metric or metric math) in the portal's shape. */
export function fromMetricAlarm(region: string, a: MetricAlarm): AlarmRecord {
  const stat = a.Statistic ?? a.ExtendedStatistic ?? null;
  return {
    ...common(region, a),
    type: 'metric',
    metric: a.MetricName && a.Namespace && stat ? { namespace: a.Namespace, metricName: a.MetricName, dimensions: dimensions(a.Dimensions), stat } : null,
    metrics: a.Metrics?.length
      ? a.Metrics.map((q): MetricQuery => ({
          id: q.Id ?? '',
          label: q.Label ?? null,
          returnData: q.ReturnData ?? false,
          expression: q.Expression ?? null,
          metric: q.MetricStat?.Metric
            ? {
                namespace: q.MetricStat.Metric.Namespace ?? '',
                metricName: q.MetricStat.Metric.MetricName ?? '',
                dimensions: dimensions(q.MetricStat.Metric.Dimensions),
                stat: q.MetricStat.Stat ?? 'Average',
                period: q.MetricStat.Period ?? q.Period ?? 60,
                unit: q.MetricStat.Unit ?? null,
              }
            : null,
        }))
      : null,
    period: a.Period ?? null,
    evaluationPeriods: a.EvaluationPeriods ?? null,
    datapointsToAlarm: a.DatapointsToAlarm ?? a.EvaluationPeriods ?? null,
    threshold: a.Threshold ?? null,
    comparison: a.ComparisonOperator ?? null,
    treatMissingData: a.TreatMissingData ?? null,
    unit: a.Unit ?? null,
    rule: null,
  };
}

/** A composite alarm in the portal's shape. */
export function fromCompositeAlarm(region: string, a: CompositeAlarm): AlarmRecord {
  return {
    ...common(region, a),
    type: 'composite',
    metric: null,
    metrics: null,
    period: null,
    evaluationPeriods: null,
    datapointsToAlarm: null,
    threshold: null,
    comparison: null,
    treatMissingData: null,
    unit: null,
    rule: a.AlarmRule ?? null,
  };
}

function toAwsQuery(q: MetricQuery): MetricDataQuery {
  return {
    Id: q.id,
    ...(q.label ? { Label: q.label } : {}),
    ReturnData: q.returnData,
    ...(q.expression ? { Expression: q.expression } : {}),
    ...(q.metric
      ? {
          MetricStat: {
            Metric: {
              Namespace: q.metric.namespace,
              MetricName: q.metric.metricName,
              Dimensions: q.metric.dimensions.map((d) => ({ Name: d.name, Value: d.value })),
            },
            Period: q.metric.period,
            Stat: q.metric.stat,
            ...(q.metric.unit ? { Unit: q.metric.unit as NonNullable<MetricDataQuery['MetricStat']>['Unit'] } : {}),
          },
        }
      : {}),
  };
}

/**
 * The CloudWatch adapter: one client per region (`clientFor`). Every call goes through the SDK's
 * adaptive retry (backoff with jitter on throttling); what still fails becomes an AppError
 * (throttling: RATE_LIMITED), which the shared cache answers with the last good data and its own
 * backoff (docs/decisions/012-alarm-cache.md).
 */
export function createAwsCloudWatch(clientFor: (region: string) => CloudWatchClient): CloudWatchPort {
  return {
    describeAlarms(region) {
      return call('DescribeAlarms', async () => {
        const out: AlarmRecord[] = [];
        const pages = paginateDescribeAlarms({ client: clientFor(region), pageSize: 100 }, { AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] });
        for await (const page of pages) {
          for (const a of page.MetricAlarms ?? []) out.push(fromMetricAlarm(region, a));
          for (const a of page.CompositeAlarms ?? []) out.push(fromCompositeAlarm(region, a));
        }
        return out;
      });
    },

    describeAlarmHistory(region, name, from, to, limit) {
      return call('DescribeAlarmHistory', async () => {
        const out = [];
        const pages = paginateDescribeAlarmHistory(
          { client: clientFor(region), pageSize: Math.min(100, limit) },
          // Without AlarmTypes CloudWatch returns the history of metric alarms only.
          { AlarmName: name, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], StartDate: from, EndDate: to, ScanBy: 'TimestampDescending' },
        );
        for await (const page of pages) {
          for (const h of page.AlarmHistoryItems ?? []) {
            out.push({
              timestamp: (h.Timestamp ?? new Date(0)).toISOString(),
              type: h.HistoryItemType ?? 'Unknown',
              summary: h.HistorySummary ?? '',
              data: h.HistoryData ?? null,
            });
            if (out.length >= limit) return out;
          }
        }
        return out;
      });
    },

    getMetricData(region, queries, from, to) {
      return call('GetMetricData', async () => {
        const byId = new Map<string, { label: string; points: Map<number, number>; partial: boolean }>();
        const pages = paginateGetMetricData(
          { client: clientFor(region) },
          { MetricDataQueries: queries.map(toAwsQuery), StartTime: from, EndTime: to, ScanBy: 'TimestampAscending' },
        );
        for await (const page of pages) {
          for (const r of page.MetricDataResults ?? []) {
            const id = r.Id ?? '';
            const series = byId.get(id) ?? { label: r.Label ?? id, points: new Map<number, number>(), partial: false };
            byId.set(id, series);
            (r.Timestamps ?? []).forEach((t, i) => {
              const v = r.Values?.[i];
              if (v !== undefined && Number.isFinite(v)) series.points.set(t.getTime(), v);
            });
            // After the last page, PartialData means CloudWatch held back points (a quota), not "more pages".
            series.partial = r.StatusCode === 'PartialData' && !page.NextToken;
          }
        }
        return queries
          .filter((q) => q.returnData)
          .map((q): MetricSeries => {
            const s = byId.get(q.id);
            const points = [...(s?.points.entries() ?? [])].sort(([a], [b]) => a - b).map(([t, v]) => ({ t: new Date(t).toISOString(), v }));
            return { id: q.id, label: s?.label ?? q.label ?? q.id, points, partial: s?.partial ?? false };
          });
      });
    },

    async setAlarmState(region, name, state, reason) {
      await call('SetAlarmState', () =>
        clientFor(region).send(new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: reason.slice(0, 1023) })),
      );
    },
  };
}
