import { describe, expect, it } from 'vitest';
import { alarmConsoleUrl } from '@/lib/alarms/console-url';
import { alarmPeriods, readHistoryItem } from '@/lib/alarms/history';
import { metricQueriesFor, metricWindow } from '@/lib/alarms/metrics';
import type { AlarmHistoryItem, AlarmState } from '@/lib/alarms/model';
import { record } from '@/lib/alarms/test-fakes';

const change = (time: string, oldState: AlarmState, newState: AlarmState): AlarmHistoryItem => ({
  timestamp: `2026-11-30T${time}:00.000Z`,
  type: 'StateUpdate',
  summary: `Alarm updated from ${oldState} to ${newState}`,
  oldState,
  newState,
  reason: null,
});
const at = (time: string) => new Date(`2026-11-30T${time}:00.000Z`);
const p = (from: string, to: string) => ({ from: at(from).toISOString(), to: at(to).toISOString() });

describe('readHistoryItem', () => {
  it('reads the states out of a StateUpdate', () => {
    const data = JSON.stringify({
      version: '1.0',
      oldState: { stateValue: 'OK', stateReason: 'Threshold Crossed: no datapoints were received' },
      newState: {
        stateValue: 'ALARM',
        stateReason: 'Threshold Crossed: 3 datapoints were greater than the threshold (80.0).',
        stateReasonData: { version: '1.0' },
      },
    });
    expect(readHistoryItem({ timestamp: '2026-11-30T10:00:00.000Z', type: 'StateUpdate', summary: 'Alarm updated from OK to ALARM', data })).toEqual({
      timestamp: '2026-11-30T10:00:00.000Z',
      type: 'StateUpdate',
      summary: 'Alarm updated from OK to ALARM',
      oldState: 'OK',
      newState: 'ALARM',
      reason: 'Threshold Crossed: 3 datapoints were greater than the threshold (80.0).',
    });
  });

  it('keeps other items and unreadable data as summary only', () => {
    expect(readHistoryItem({ timestamp: 't', type: 'Action', summary: 'Published to SNS', data: '{"actionState":"Succeeded"}' })).toMatchObject({
      oldState: null,
      newState: null,
    });
    expect(readHistoryItem({ timestamp: 't', type: 'StateUpdate', summary: 's', data: 'not json' })).toMatchObject({
      oldState: null,
      newState: null,
      reason: null,
    });
    expect(readHistoryItem({ timestamp: 't', type: 'StateUpdate', summary: 's', data: '{"newState":{"stateValue":"ON_FIRE"}}' })).toMatchObject({
      newState: null,
    });
  });
});

describe('alarmPeriods', () => {
  const history = [
    change('01:00', 'OK', 'ALARM'),
    change('02:00', 'ALARM', 'OK'),
    change('04:00', 'OK', 'ALARM'),
    change('04:30', 'ALARM', 'INSUFFICIENT_DATA'),
    change('05:00', 'INSUFFICIENT_DATA', 'ALARM'),
  ];

  it('turns state changes into ALARM intervals within the window, open ones ending at its end', () => {
    expect(alarmPeriods(history, 'ALARM', at('00:00'), at('06:00'))).toEqual([p('01:00', '02:00'), p('04:00', '04:30'), p('05:00', '06:00')]);
  });

  it('clips an interval that began before the window', () => {
    expect(alarmPeriods(history, 'ALARM', at('01:30'), at('04:15'))).toEqual([p('01:30', '02:00'), p('04:00', '04:15')]);
  });

  it('takes the state at the start from the first change after it when none is before', () => {
    expect(alarmPeriods([change('03:00', 'ALARM', 'OK')], 'OK', at('02:00'), at('04:00'))).toEqual([p('02:00', '03:00')]);
  });

  it('uses the current state when the window holds no change', () => {
    expect(alarmPeriods([], 'ALARM', at('02:00'), at('04:00'))).toEqual([p('02:00', '04:00')]);
    expect(alarmPeriods([], 'OK', at('02:00'), at('04:00'))).toEqual([]);
    expect(alarmPeriods(history, 'OK', at('06:00'), at('05:00'))).toEqual([]);
  });

  it('ignores items without a state change and unordered input', () => {
    const mixed = [
      { ...change('03:00', 'OK', 'OK'), type: 'Action', newState: null, oldState: null },
      change('02:00', 'ALARM', 'OK'),
      change('01:00', 'OK', 'ALARM'),
    ];
    expect(alarmPeriods(mixed, 'OK', at('00:00'), at('03:00'))).toEqual([p('01:00', '02:00')]);
  });
});

describe('alarmConsoleUrl', () => {
  it('links to the alarm in the region, in the partition of the region', () => {
    expect(alarmConsoleUrl('eu-central-1', 'serverless-prod-api errors/x')).toBe(
      'https://eu-central-1.console.aws.amazon.com/cloudwatch/home?region=eu-central-1#alarmsV2:alarm/serverless-prod-api%20errors%2Fx',
    );
    expect(alarmConsoleUrl('cn-north-1', 'a')).toBe('https://cn-north-1.console.amazonaws.cn/cloudwatch/home?region=cn-north-1#alarmsV2:alarm/a');
    expect(alarmConsoleUrl('us-gov-west-1', 'a')).toBe('https://console.amazonaws-us-gov.com/cloudwatch/home?region=us-gov-west-1#alarmsV2:alarm/a');
  });
});

describe('metricWindow and metricQueriesFor', () => {
  const now = new Date('2026-11-30T10:07:42.000Z');

  it('ends at the last whole minute and picks the period of the range or the alarm, whichever is coarser', () => {
    expect(metricWindow('3h', now, 60)).toEqual({ from: new Date('2026-11-30T07:07:00.000Z'), to: new Date('2026-11-30T10:07:00.000Z'), period: 60 });
    expect(metricWindow('24h', now, 60)).toEqual({ from: new Date('2026-11-29T10:05:00.000Z'), to: new Date('2026-11-30T10:07:00.000Z'), period: 300 });
    expect(metricWindow('7d', now, 300).period).toBe(3600);
    expect(metricWindow('3h', now, 900).period).toBe(900);
    expect(metricWindow('3h', now, 10).period).toBe(60);
  });

  it('queries the alarm metric with its statistic, or its math at the chart period', () => {
    const metric = { namespace: 'AWS/RDS', metricName: 'CPUUtilization', stat: 'Average', dimensions: [{ name: 'DBInstanceIdentifier', value: 'db' }] };
    expect(metricQueriesFor(record('a', { metric, unit: 'Percent' }), 300)).toEqual([
      {
        id: 'm1',
        label: 'CPUUtilization',
        returnData: true,
        expression: null,
        metric: { namespace: 'AWS/RDS', metricName: 'CPUUtilization', dimensions: metric.dimensions, stat: 'Average', period: 300, unit: 'Percent' },
      },
    ]);
    const math = record('b', {
      metrics: [
        { id: 'e1', label: 'rate', returnData: true, expression: '100*m1/m2', metric: null },
        { id: 'm1', label: null, returnData: false, expression: null, metric: { ...metric, period: 60, unit: null } },
      ],
    });
    expect(metricQueriesFor(math, 3600)?.map((q) => [q.id, q.expression, q.metric?.period ?? null])).toEqual([
      ['e1', '100*m1/m2', null],
      ['m1', null, 3600],
    ]);
    expect(metricQueriesFor(record('c', { type: 'composite', rule: 'ALARM(a)' }), 60)).toBeNull();
  });
});
