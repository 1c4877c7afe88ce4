import { describe, expect, it } from 'vitest';
import { classifyAlarm, environmentOf, ruleAlarmNames, serviceOf } from '@/lib/alarms/classify';
import { record } from '@/lib/alarms/test-fakes';

const lambda = (fn: string) => ({
  namespace: 'AWS/Lambda',
  metricName: 'Errors',
  stat: 'Sum',
  dimensions: [
    { name: 'FunctionName', value: fn },
    { name: 'Resource', value: `${fn}:live` },
  ],
});

describe('environmentOf', () => {
  it.each([
    ['serverless-prod-api-errors', 'prod'],
    ['serverless-staging-rds-cpu', 'staging'],
    ['orders-production-latency', 'prod'],
    ['Payments Stage 5xx', 'staging'],
    ['DEV/queue-age', 'dev'],
  ])('reads %s as %s', (name, env) => {
    expect(environmentOf(record(name))).toBe(env);
  });

  it('falls back to the dimensions, then to "other"', () => {
    expect(environmentOf(record('api-errors', { metric: lambda('checkout-prd-api') }))).toBe('prod');
    expect(environmentOf(record('api-errors', { metric: lambda('checkout') }))).toBe('other');
  });

  it('does not read environment words inside other words', () => {
    expect(environmentOf(record('product-catalog-errors'))).toBe('other');
    expect(environmentOf(record('devices-errors'))).toBe('other');
  });
});

describe('serviceOf', () => {
  it('names a Lambda alarm after its function without the stack and environment', () => {
    expect(serviceOf(record('serverless-prod-api-errors', { metric: lambda('serverless-prod-api') }))).toBe('api');
    expect(serviceOf(record('serverless-dev-worker-duration', { metric: lambda('serverless-dev-worker') }))).toBe('worker');
    expect(serviceOf(record('orders-errors', { metric: lambda('orders-handler') }))).toBe('orders-handler');
  });

  it('names queues, databases and proxies by kind', () => {
    const sqs = {
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      stat: 'Maximum',
      dimensions: [{ name: 'QueueName', value: 'serverless-prod-jobs-dlq' }],
    };
    const rds = {
      namespace: 'AWS/RDS',
      metricName: 'CPUUtilization',
      stat: 'Average',
      dimensions: [{ name: 'DBInstanceIdentifier', value: 'serverless-prod-db' }],
    };
    const proxy = {
      namespace: 'AWS/RDS',
      metricName: 'DatabaseConnectionsBorrowLatency',
      stat: 'Average',
      dimensions: [{ name: 'ProxyName', value: 'serverless-prod-proxy' }],
    };
    expect(serviceOf(record('serverless-prod-dlq-depth', { metric: sqs }))).toBe('queue');
    expect(serviceOf(record('serverless-prod-rds-cpu', { metric: rds }))).toBe('database');
    expect(serviceOf(record('serverless-prod-proxy-borrow-latency', { metric: proxy }))).toBe('proxy');
  });

  it('uses the word after the environment for composite alarms, then the namespace', () => {
    expect(serviceOf(record('serverless-prod-health', { type: 'composite', rule: 'ALARM("a")', period: null }))).toBe('health');
    expect(
      serviceOf(
        record('cpu-high', {
          metric: { namespace: 'AWS/EC2', metricName: 'CPUUtilization', stat: 'Average', dimensions: [{ name: 'InstanceId', value: 'i-1' }] },
        }),
      ),
    ).toBe('ec2');
    expect(serviceOf(record('lonely'))).toBe('other');
  });

  it('reads metric-math alarms through their metric queries', () => {
    const alarm = record('serverless-prod-api-error-rate', {
      metrics: [
        { id: 'e1', label: 'rate', returnData: true, expression: '100*m1/m2', metric: null },
        { id: 'm1', label: null, returnData: false, expression: null, metric: { ...lambda('serverless-prod-api'), period: 60, unit: null } },
      ],
    });
    expect(classifyAlarm(alarm)).toMatchObject({ environment: 'prod', service: 'api' });
  });
});

describe('ruleAlarmNames', () => {
  it('lists the alarms a composite rule names, once each, quoted or not', () => {
    expect(
      ruleAlarmNames('ALARM("serverless-prod-api-errors") OR ALARM(serverless-prod-rds-cpu) OR (ALARM(\'x y\') AND NOT OK("serverless-prod-api-errors"))'),
    ).toEqual(['serverless-prod-api-errors', 'serverless-prod-rds-cpu', 'x y']);
    expect(ruleAlarmNames('TRUE')).toEqual([]);
  });
});
