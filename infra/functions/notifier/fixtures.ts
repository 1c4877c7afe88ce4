// Test-only: CloudWatch alarm notifications as SNS delivers them to the notifier.
import type { SNSEvent } from 'aws-lambda';

export const alarmNotification = {
  AlarmName: 'serverless-prod-api-errors',
  AlarmDescription: 'The API function (live alias) threw or timed out; also rolls back a deployment.',
  AWSAccountId: '123456789012',
  AlarmConfigurationUpdatedTimestamp: '2026-11-29T10:00:00.000+0000',
  NewStateValue: 'ALARM',
  NewStateReason:
    'Threshold Crossed: 1 out of the last 1 datapoints [3.0 (29/11/26 11:59:00)] was greater than or equal to the threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition).',
  StateChangeTime: '2026-11-29T12:00:05.123+0000',
  Region: 'EU (Frankfurt)',
  AlarmArn: 'arn:aws:cloudwatch:eu-central-1:123456789012:alarm:serverless-prod-api-errors',
  OldStateValue: 'OK',
  OKActions: ['arn:aws:sns:eu-central-1:123456789012:serverless-prod-alarms'],
  AlarmActions: ['arn:aws:sns:eu-central-1:123456789012:serverless-prod-alarms'],
  InsufficientDataActions: [],
  Trigger: {
    MetricName: 'Errors',
    Namespace: 'AWS/Lambda',
    StatisticType: 'Statistic',
    Statistic: 'SUM',
    Unit: null,
    Dimensions: [
      { value: 'serverless-prod-api', name: 'FunctionName' },
      { value: 'serverless-prod-api:live', name: 'Resource' },
    ],
    Period: 60,
    EvaluationPeriods: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    Threshold: 1.0,
    TreatMissingData: 'notBreaching',
  },
};

export const okNotification = {
  ...alarmNotification,
  NewStateValue: 'OK',
  OldStateValue: 'ALARM',
  NewStateReason: 'Threshold Crossed: 1 out of the last 1 datapoints [0.0 (29/11/26 12:09:00)] was not greater than or equal to the threshold (1.0).',
  StateChangeTime: '2026-11-29T12:10:05.456+0000',
};

export function snsEvent(...messages: unknown[]): SNSEvent {
  return {
    Records: messages.map((m, i) => ({
      EventVersion: '1.0',
      EventSubscriptionArn: 'arn:aws:sns:eu-central-1:123456789012:serverless-prod-alarms:sub',
      EventSource: 'aws:sns',
      Sns: {
        SignatureVersion: '1',
        Timestamp: '2026-11-29T12:00:06.000Z',
        Signature: 'x',
        SigningCertUrl: 'https://sns.eu-central-1.amazonaws.com/cert.pem',
        MessageId: `sns-${i + 1}`,
        Message: typeof m === 'string' ? m : JSON.stringify(m),
        MessageAttributes: {},
        Type: 'Notification',
        UnsubscribeUrl: 'https://sns.eu-central-1.amazonaws.com/unsubscribe',
        TopicArn: 'arn:aws:sns:eu-central-1:123456789012:serverless-prod-alarms',
        Subject: 'ALARM: "serverless-prod-api-errors" in EU (Frankfurt)',
      },
    })),
  };
}
