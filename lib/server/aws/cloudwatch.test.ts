import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  ResourceNotFound,
  SetAlarmStateCommand,
  type CompositeAlarm,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import { ConfiguredRetryStrategy } from '@smithy/util-retry';
import { mockClient } from 'aws-sdk-client-mock';
// Registers the matchers (toHaveReceivedCommandWith, …) and their types.
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import type { MetricQuery } from '@/lib/alarms/model';
import { createAwsCloudWatch } from '@/lib/server/aws/cloudwatch';

const REGION = 'eu-central-1';
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' };
const client = new CloudWatchClient({ region: REGION, credentials });
const cw = mockClient(client);
const regions: string[] = [];
const port = createAwsCloudWatch((region) => {
  regions.push(region);
  return client;
});

const TOPIC = 'arn:aws:sns:eu-central-1:111122223333:serverless-prod-alarms';

const cpuAlarm: MetricAlarm = {
  AlarmName: 'serverless-prod-rds-cpu',
  AlarmArn: 'arn:aws:cloudwatch:eu-central-1:111122223333:alarm:serverless-prod-rds-cpu',
  AlarmDescription: 'RDS CPU above 80 % for 15 minutes',
  ActionsEnabled: true,
  AlarmActions: [TOPIC],
  OKActions: [TOPIC],
  InsufficientDataActions: [],
  StateValue: 'ALARM',
  StateReason: 'Threshold Crossed: 3 out of the last 3 datapoints were greater than the threshold (80.0).',
  StateUpdatedTimestamp: new Date('2026-11-30T08:31:00.000Z'),
  StateTransitionedTimestamp: new Date('2026-11-30T08:30:00.000Z'),
  MetricName: 'CPUUtilization',
  Namespace: 'AWS/RDS',
  Statistic: 'Average',
  Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'serverless-prod-db' }],
  Period: 300,
  EvaluationPeriods: 3,
  DatapointsToAlarm: 3,
  Threshold: 80,
  ComparisonOperator: 'GreaterThanThreshold',
  TreatMissingData: 'missing',
  Unit: 'Percent',
};

const mathAlarm: MetricAlarm = {
  AlarmName: 'serverless-prod-api-error-rate',
  AlarmArn: 'arn:aws:cloudwatch:eu-central-1:111122223333:alarm:serverless-prod-api-error-rate',
  StateValue: 'OK',
  StateReason: 'Threshold Crossed',
  StateUpdatedTimestamp: new Date('2026-11-29T10:00:00.000Z'),
  EvaluationPeriods: 5,
  Threshold: 5,
  ComparisonOperator: 'GreaterThanOrEqualToThreshold',
  Metrics: [
    { Id: 'e1', Expression: '100 * errors / invocations', Label: 'Error rate', ReturnData: true },
    {
      Id: 'errors',
      ReturnData: false,
      MetricStat: {
        Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'serverless-prod-api' }] },
        Period: 60,
        Stat: 'Sum',
      },
    },
    {
      Id: 'invocations',
      ReturnData: false,
      MetricStat: {
        Metric: { Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: [{ Name: 'FunctionName', Value: 'serverless-prod-api' }] },
        Period: 60,
        Stat: 'Sum',
      },
    },
  ],
};

const composite: CompositeAlarm = {
  AlarmName: 'serverless-prod-health',
  AlarmArn: 'arn:aws:cloudwatch:eu-central-1:111122223333:alarm:serverless-prod-health',
  AlarmRule: 'ALARM("serverless-prod-api-errors") OR ALARM("serverless-prod-rds-cpu") OR ALARM("serverless-prod-proxy-client-connection-errors")',
  StateValue: 'ALARM',
  StateReason: 'arn:aws:cloudwatch:eu-central-1:111122223333:alarm:serverless-prod-rds-cpu transitioned to ALARM',
  StateUpdatedTimestamp: new Date('2026-11-30T08:30:05.000Z'),
  AlarmActions: [TOPIC],
  OKActions: [TOPIC],
  ActionsEnabled: true,
};

/**
 * Answers in turn and records a copy of each input as sent: the SDK's paginators reuse one input
 * object (setting NextToken on it), so the mock's own record shows only its last state.
 */
function inTurn<R>(responses: R[]) {
  const inputs: unknown[] = [];
  const fake = (input: unknown) => {
    inputs.push(structuredClone(input));
    return responses[inputs.length - 1];
  };
  return { inputs, fake };
}

beforeEach(() => {
  cw.reset();
  regions.length = 0;
});

describe('describeAlarms', () => {
  it('pages through metric and composite alarms and maps them', async () => {
    const pages = inTurn([
      { MetricAlarms: [cpuAlarm], CompositeAlarms: [], NextToken: 'page-2' },
      { MetricAlarms: [mathAlarm], CompositeAlarms: [composite], NextToken: 'page-3' },
      { MetricAlarms: [], CompositeAlarms: [] },
    ]);
    cw.on(DescribeAlarmsCommand).callsFake(pages.fake);

    const alarms = await port.describeAlarms(REGION);

    expect(pages.inputs).toEqual([
      { AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100 },
      { AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100, NextToken: 'page-2' },
      { AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100, NextToken: 'page-3' },
    ]);
    expect(regions.every((r) => r === REGION)).toBe(true);
    expect(alarms.map((a) => [a.name, a.type])).toEqual([
      ['serverless-prod-rds-cpu', 'metric'],
      ['serverless-prod-api-error-rate', 'metric'],
      ['serverless-prod-health', 'composite'],
    ]);
    expect(alarms[0]).toEqual({
      region: REGION,
      name: 'serverless-prod-rds-cpu',
      arn: cpuAlarm.AlarmArn,
      type: 'metric',
      description: 'RDS CPU above 80 % for 15 minutes',
      state: 'ALARM',
      stateReason: cpuAlarm.StateReason,
      // The last transition, not the last reason update.
      stateUpdatedAt: '2026-11-30T08:30:00.000Z',
      actionsEnabled: true,
      alarmActions: [TOPIC],
      okActions: [TOPIC],
      insufficientDataActions: [],
      metric: {
        namespace: 'AWS/RDS',
        metricName: 'CPUUtilization',
        dimensions: [{ name: 'DBInstanceIdentifier', value: 'serverless-prod-db' }],
        stat: 'Average',
      },
      metrics: null,
      period: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      threshold: 80,
      comparison: 'GreaterThanThreshold',
      treatMissingData: 'missing',
      unit: 'Percent',
      rule: null,
    });
    expect(alarms[1]).toMatchObject({ metric: null, datapointsToAlarm: 5, stateUpdatedAt: '2026-11-29T10:00:00.000Z' });
    expect(alarms[1]!.metrics).toEqual([
      { id: 'e1', label: 'Error rate', returnData: true, expression: '100 * errors / invocations', metric: null },
      {
        id: 'errors',
        label: null,
        returnData: false,
        expression: null,
        metric: {
          namespace: 'AWS/Lambda',
          metricName: 'Errors',
          dimensions: [{ name: 'FunctionName', value: 'serverless-prod-api' }],
          stat: 'Sum',
          period: 60,
          unit: null,
        },
      },
      {
        id: 'invocations',
        label: null,
        returnData: false,
        expression: null,
        metric: {
          namespace: 'AWS/Lambda',
          metricName: 'Invocations',
          dimensions: [{ name: 'FunctionName', value: 'serverless-prod-api' }],
          stat: 'Sum',
          period: 60,
          unit: null,
        },
      },
    ]);
    expect(alarms[2]).toMatchObject({ type: 'composite', rule: composite.AlarmRule, state: 'ALARM', metric: null, threshold: null, alarmActions: [TOPIC] });
  });

  it('maps a percentile statistic and an unknown state', async () => {
    cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ ...cpuAlarm, Statistic: undefined, ExtendedStatistic: 'p99', StateValue: 'WEIRD' as never }] });
    const [alarm] = await port.describeAlarms(REGION);
    expect(alarm).toMatchObject({ state: 'INSUFFICIENT_DATA', metric: { stat: 'p99' } });
  });

  it('maps AccessDenied to FORBIDDEN naming the operation', async () => {
    cw.on(DescribeAlarmsCommand).rejects(
      Object.assign(new Error('User is not authorized to perform cloudwatch:DescribeAlarms'), { name: 'AccessDenied', $metadata: { requestId: 'req-403' } }),
    );
    await expect(port.describeAlarms(REGION)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: { awsError: 'AccessDenied', requestId: 'req-403', operation: 'CloudWatch DescribeAlarms' },
    });
  });
});

describe('describeAlarmHistory', () => {
  const item = (i: number) => ({
    AlarmName: 'serverless-prod-rds-cpu',
    AlarmType: 'MetricAlarm' as const,
    Timestamp: new Date(Date.UTC(2026, 10, 30, 8, 59 - i)),
    HistoryItemType: 'StateUpdate' as const,
    HistorySummary: `change ${i}`,
    HistoryData: '{"version":"1.0"}',
  });

  it('asks for metric and composite history, newest first, and stops at the limit', async () => {
    const pages = inTurn([
      { AlarmHistoryItems: [item(0), item(1)], NextToken: 'n2' },
      { AlarmHistoryItems: [item(2), item(3)], NextToken: 'n3' },
      { AlarmHistoryItems: [item(4)] },
    ]);
    cw.on(DescribeAlarmHistoryCommand).callsFake(pages.fake);
    const from = new Date('2026-11-23T09:00:00.000Z');
    const to = new Date('2026-11-30T09:00:00.000Z');

    const history = await port.describeAlarmHistory(REGION, 'serverless-prod-rds-cpu', from, to, 3);

    expect(history).toEqual(
      [0, 1, 2].map((i) => ({ timestamp: item(i).Timestamp.toISOString(), type: 'StateUpdate', summary: `change ${i}`, data: '{"version":"1.0"}' })),
    );
    expect(pages.inputs).toEqual([
      {
        AlarmName: 'serverless-prod-rds-cpu',
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
        StartDate: from,
        EndDate: to,
        ScanBy: 'TimestampDescending',
        MaxRecords: 3,
      },
      {
        AlarmName: 'serverless-prod-rds-cpu',
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
        StartDate: from,
        EndDate: to,
        ScanBy: 'TimestampDescending',
        MaxRecords: 3,
        NextToken: 'n2',
      },
    ]);
  });
});

describe('getMetricData', () => {
  const queries: MetricQuery[] = [
    { id: 'e1', label: 'Error rate', returnData: true, expression: '100 * errors / invocations', metric: null },
    {
      id: 'errors',
      label: null,
      returnData: false,
      expression: null,
      metric: {
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensions: [{ name: 'FunctionName', value: 'serverless-prod-api' }],
        stat: 'Sum',
        period: 300,
        unit: 'Count',
      },
    },
  ];
  const from = new Date('2026-11-29T09:00:00.000Z');
  const to = new Date('2026-11-30T09:00:00.000Z');
  const t = (m: number) => new Date(from.getTime() + m * 300_000);

  it('sends the queries as CloudWatch takes them and joins the pages of each series, oldest first', async () => {
    const pages = inTurn([
      {
        MetricDataResults: [
          { Id: 'e1', Label: 'Error rate', Timestamps: [t(1), t(0)], Values: [2.5, 1], StatusCode: 'PartialData' },
          { Id: 'errors', Timestamps: [t(0)], Values: [3] },
        ],
        NextToken: 'p2',
      },
      { MetricDataResults: [{ Id: 'e1', Label: 'Error rate', Timestamps: [t(2)], Values: [7.25], StatusCode: 'Complete' }] },
    ]);
    cw.on(GetMetricDataCommand).callsFake(pages.fake);

    const series = await port.getMetricData(REGION, queries, from, to);

    expect(series).toEqual([
      {
        id: 'e1',
        label: 'Error rate',
        partial: false,
        points: [
          { t: t(0).toISOString(), v: 1 },
          { t: t(1).toISOString(), v: 2.5 },
          { t: t(2).toISOString(), v: 7.25 },
        ],
      },
    ]);
    const inputs = pages.inputs;
    expect(inputs[0]).toEqual({
      MetricDataQueries: [
        { Id: 'e1', Label: 'Error rate', ReturnData: true, Expression: '100 * errors / invocations' },
        {
          Id: 'errors',
          ReturnData: false,
          MetricStat: {
            Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'serverless-prod-api' }] },
            Period: 300,
            Stat: 'Sum',
            Unit: 'Count',
          },
        },
      ],
      StartTime: from,
      EndTime: to,
      ScanBy: 'TimestampAscending',
    });
    expect(inputs[1]).toMatchObject({ NextToken: 'p2' });
  });

  it('says when CloudWatch held points back', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'e1', Timestamps: [], Values: [], StatusCode: 'PartialData' }] });
    expect((await port.getMetricData(REGION, queries, from, to))[0]).toMatchObject({ partial: true, points: [], label: 'e1' });
  });
});

describe('setAlarmState', () => {
  it('sends SetAlarmState with the reason', async () => {
    cw.on(SetAlarmStateCommand).resolves({});
    await port.setAlarmState(REGION, 'serverless-dev-api-errors', 'ALARM', 'Testing the Slack path (set by Priya Raman in Gatehouse)');
    expect(cw).toHaveReceivedCommandExactlyOnceWith(SetAlarmStateCommand, {
      AlarmName: 'serverless-dev-api-errors',
      StateValue: 'ALARM',
      StateReason: 'Testing the Slack path (set by Priya Raman in Gatehouse)',
    });
  });

  it('is NOT_FOUND for an unknown alarm', async () => {
    cw.on(SetAlarmStateCommand).rejects(new ResourceNotFound({ message: 'Alarm nope not found', $metadata: {} }));
    await expect(port.setAlarmState(REGION, 'nope', 'OK', 'r')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'CloudWatch SetAlarmState: Alarm nope not found',
    });
  });
});

/**
 * aws-sdk-client-mock replaces `client.send`, so the SDK's retry middleware never runs under it.
 * Throttling is tested one level lower: a real client over an HTTP handler that answers like
 * CloudWatch (JSON 1.0 protocol, query-compatible error code), so the SDK's own retry, backoff and
 * error classification run.
 */
describe('throttling', () => {
  const json = (status: number, body: object, headers: Record<string, string> = {}) => ({
    status,
    headers: { 'content-type': 'application/x-amz-json-1.0', ...headers },
    body: JSON.stringify(body),
  });
  const THROTTLED = json(
    400,
    { __type: 'com.amazonaws.cloudwatch#ThrottlingException', message: 'Rate exceeded' },
    { 'x-amzn-query-error': 'Throttling;Sender' },
  );
  const page = (name: string, next?: string) =>
    json(200, {
      MetricAlarms: [{ AlarmName: name, StateValue: 'OK', StateUpdatedTimestamp: 1764500000 }],
      CompositeAlarms: [],
      ...(next ? { NextToken: next } : {}),
    });

  function clientAnswering(responses: ReturnType<typeof json>[], delays: number[]) {
    const requests: { body: string; at: number }[] = [];
    const requestHandler = {
      async handle(request: { body?: unknown }) {
        requests.push({ body: String(request.body), at: performance.now() });
        const next = responses[requests.length - 1];
        if (!next) throw new Error('no more responses');
        return { response: { statusCode: next.status, headers: next.headers, body: Buffer.from(next.body) } };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
    };
    // The portal's clients use adaptive retry (0.5 s+ back-off on throttling): a strategy with the
    // same classification and short, growing delays keeps this test fast while showing the back-off.
    const retryStrategy = new ConfiguredRetryStrategy(3, (attempt) => delays[attempt - 1] ?? 0);
    return { client: new CloudWatchClient({ region: REGION, credentials, maxAttempts: 3, retryStrategy, requestHandler }), requests };
  }

  it('is retried by the SDK with growing waits, resuming the page that was throttled', async () => {
    const fake = clientAnswering([page('a', 'p2'), THROTTLED, THROTTLED, page('b')], [40, 80]);

    const alarms = await createAwsCloudWatch(() => fake.client).describeAlarms(REGION);

    expect(alarms.map((a) => a.name)).toEqual(['a', 'b']);
    expect(fake.requests.map((r) => JSON.parse(r.body))).toEqual([
      { AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100 },
      { AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100, NextToken: 'p2' },
      { AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100, NextToken: 'p2' },
      { AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], MaxRecords: 100, NextToken: 'p2' },
    ]);
    const gaps = fake.requests.slice(1).map((r, i) => r.at - fake.requests[i]!.at);
    expect(gaps[1]).toBeGreaterThanOrEqual(35);
    expect(gaps[2]).toBeGreaterThanOrEqual(75);
  });

  it('is RATE_LIMITED once the attempts are used up', async () => {
    const fake = clientAnswering([THROTTLED, THROTTLED, THROTTLED, page('never')], [0, 0]);

    await expect(createAwsCloudWatch(() => fake.client).describeAlarms(REGION)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      message: 'CloudWatch DescribeAlarms was throttled by AWS; it will be retried',
      details: { awsError: 'Throttling', operation: 'CloudWatch DescribeAlarms' },
    });
    expect(fake.requests).toHaveLength(3);
  });
});
