import type { AccountRef } from '@/lib/cloud/accounts';

/** CloudWatch alarm states, most severe first (the order the overview sorts by). */
export const ALARM_STATES = ['ALARM', 'INSUFFICIENT_DATA', 'OK'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

/** How the overview list can be ordered. `state` (the default) puts alarms in ALARM first, newest change first. */
export const ALARM_SORTS = ['state', 'name', 'updated', 'environment', 'service'] as const;
export type AlarmSort = (typeof ALARM_SORTS)[number];

/** The ranges the detail chart offers. */
export const METRIC_RANGES = ['3h', '24h', '7d'] as const;
export type MetricRange = (typeof METRIC_RANGES)[number];

export interface Dimension {
  name: string;
  value: string;
}

/** One metric as CloudWatch names it. */
export interface MetricRef {
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
}

/** One query of a metric-math alarm (CloudWatch MetricDataQuery): a metric with its statistic, or an expression. */
export interface MetricQuery {
  id: string;
  label: string | null;
  returnData: boolean;
  expression: string | null;
  metric: (MetricRef & { stat: string; period: number; unit: string | null }) | null;
}

/**
 * An alarm as DescribeAlarms returns it, in plain JSON (times as ISO strings: it is cached in the
 * database and sent to browsers as is).
 */
export interface AlarmRecord {
  region: string;
  name: string;
  arn: string;
  type: 'metric' | 'composite';
  description: string | null;
  state: AlarmState;
  stateReason: string;
  stateUpdatedAt: string;
  actionsEnabled: boolean;
  alarmActions: string[];
  okActions: string[];
  insufficientDataActions: string[];
  /** Single-metric alarms: the metric and its statistic (Statistic or ExtendedStatistic such as p99). */
  metric: (MetricRef & { stat: string }) | null;
  /** Metric-math alarms: the queries; the one with returnData is compared with the threshold. */
  metrics: MetricQuery[] | null;
  period: number | null;
  evaluationPeriods: number | null;
  datapointsToAlarm: number | null;
  threshold: number | null;
  comparison: string | null;
  treatMissingData: string | null;
  unit: string | null;
  /** Composite alarms: the rule over other alarms, e.g. ALARM("a") OR ALARM("b"). */
  rule: string | null;
}

/** An alarm with where it belongs, derived from its name, namespace and dimensions (classify.ts). */
export interface Alarm extends AlarmRecord {
  environment: string;
  service: string;
  /** The account it was read in (its route key and label), set once read: with the region and name, the alarm's identity. */
  accountKey?: string;
  account?: AccountRef;
}

/** One line of DescribeAlarmHistory, as the API gives it (HistoryData is a JSON string). */
export interface AlarmHistoryRecord {
  timestamp: string;
  type: string;
  summary: string;
  data: string | null;
}

/** A history line, with the state change read out of its data. */
export interface AlarmHistoryItem {
  timestamp: string;
  type: string;
  summary: string;
  oldState: AlarmState | null;
  newState: AlarmState | null;
  reason: string | null;
}

export interface MetricPoint {
  t: string;
  v: number;
}

/** One series GetMetricData returned (ReturnData queries only), oldest point first. */
export interface MetricSeries {
  id: string;
  label: string;
  points: MetricPoint[];
  /** PartialData: CloudWatch had more points than it returned. */
  partial: boolean;
}

/** An SNS subscription of an alarm's topic: where the alarm goes (e.g. lambda -> the Slack notifier). */
export interface Subscription {
  arn: string;
  protocol: string;
  endpoint: string;
}

/** An alarm action, resolved: an SNS topic with its subscriptions, or another kind of action. */
export interface AlarmAction {
  arn: string;
  /** sns | lambda | autoscaling | ec2 | ssm | other */
  kind: string;
  /** On which transitions it runs. */
  on: AlarmState[];
  subscriptions: Subscription[] | null;
  /** Why the subscriptions are unknown (SNS failed or denied). */
  error: string | null;
}

/** A time interval in ISO strings. */
export interface Period {
  from: string;
  to: string;
}
