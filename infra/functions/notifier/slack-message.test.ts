import { describe, expect, it } from 'vitest';
import { parseAlarmNotification } from './alarm-message';
import { alarmNotification, okNotification } from './fixtures';
import { alarmConsoleUrl, escapeMrkdwn, formatSlackMessage } from './slack-message';

const CONSOLE = 'https://eu-central-1.console.aws.amazon.com/cloudwatch/home?region=eu-central-1#alarmsV2:alarm/serverless-prod-api-errors';

describe('formatSlackMessage', () => {
  it('announces an ALARM with the alarm, account, region, reason and a console link', () => {
    const alarm = parseAlarmNotification(JSON.stringify(alarmNotification))!;

    const message = formatSlackMessage(alarm, 'us-east-1');

    expect(message.text).toBe('ALARM: serverless-prod-api-errors (account 123456789012, eu-central-1)');
    expect(message.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: `:rotating_light: *ALARM* (was OK) · *<${CONSOLE}|serverless-prod-api-errors>*` } },
      { type: 'section', text: { type: 'mrkdwn', text: 'The API function (live alias) threw or timed out; also rolls back a deployment.' } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*Account*\n123456789012' },
          { type: 'mrkdwn', text: '*Region*\neu-central-1' },
          { type: 'mrkdwn', text: '*Since*\n2026-11-29T12:00:05.123+0000' },
          { type: 'mrkdwn', text: `*Reason*\n${escapeMrkdwn(alarmNotification.NewStateReason)}` },
        ],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `<${CONSOLE}|Open in the CloudWatch console>` }] },
    ]);
  });

  it('announces the recovery (OK) as such, with the same facts', () => {
    const message = formatSlackMessage(parseAlarmNotification(JSON.stringify(okNotification))!, 'us-east-1');

    expect(message.text).toBe('OK (recovered): serverless-prod-api-errors (account 123456789012, eu-central-1)');
    expect(message.blocks[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: `:white_check_mark: *OK (recovered)* (was ALARM) · *<${CONSOLE}|serverless-prod-api-errors>*` },
    });
    expect(JSON.stringify(message.blocks)).toContain('*Account*\\n123456789012');
    expect(JSON.stringify(message.blocks)).toContain('*Since*\\n2026-11-29T12:10:05.456+0000');
  });

  it('escapes Slack control characters from CloudWatch text', () => {
    const alarm = parseAlarmNotification(JSON.stringify({ ...alarmNotification, NewStateReason: 'latency <100ms> & more', AlarmDescription: null }))!;
    const message = formatSlackMessage(alarm, 'us-east-1');
    expect(JSON.stringify(message.blocks)).toContain('latency &lt;100ms&gt; &amp; more');
    expect(message.blocks).toHaveLength(3);
  });

  it('uses the function region when the notification has no ARN (composite alarms carry one, but be safe)', () => {
    const { AlarmArn: _drop, ...withoutArn } = alarmNotification;
    const message = formatSlackMessage(parseAlarmNotification(JSON.stringify(withoutArn))!, 'ap-northeast-2');
    expect(message.text).toContain('ap-northeast-2');
  });
});

describe('alarmConsoleUrl', () => {
  it('links the console of the alarm partition', () => {
    expect(alarmConsoleUrl('a b/c', 'aws', 'eu-west-1')).toBe(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/a%20b%2Fc',
    );
    expect(alarmConsoleUrl('x', 'aws-cn', 'cn-north-1')).toBe('https://cn-north-1.console.amazonaws.cn/cloudwatch/home?region=cn-north-1#alarmsV2:alarm/x');
    expect(alarmConsoleUrl('x', 'aws-us-gov', 'us-gov-west-1')).toBe(
      'https://console.amazonaws-us-gov.com/cloudwatch/home?region=us-gov-west-1#alarmsV2:alarm/x',
    );
  });
});

describe('parseAlarmNotification', () => {
  it('accepts a composite alarm notification and rejects what is not an alarm', () => {
    const composite = {
      AlarmName: 'serverless-prod-health',
      AlarmDescription: 'The stack is unhealthy',
      AWSAccountId: '123456789012',
      NewStateValue: 'ALARM',
      NewStateReason: 'arn:aws:cloudwatch:eu-central-1:123456789012:alarm:serverless-prod-rds-cpu transitioned to ALARM',
      StateChangeTime: '2026-11-29T12:00:05.123+0000',
      Region: 'EU (Frankfurt)',
      AlarmArn: 'arn:aws:cloudwatch:eu-central-1:123456789012:alarm:serverless-prod-health',
      OldStateValue: 'OK',
      AlarmRule: 'ALARM("serverless-prod-api-errors") OR ALARM("serverless-prod-rds-cpu")',
      TriggeringChildren: [{ Arn: 'arn:aws:cloudwatch:eu-central-1:123456789012:alarm:serverless-prod-rds-cpu', State: { Value: 'ALARM' } }],
    };
    expect(parseAlarmNotification(JSON.stringify(composite))?.AlarmName).toBe('serverless-prod-health');
    expect(parseAlarmNotification('not json')).toBeNull();
    expect(parseAlarmNotification(JSON.stringify({ hello: 'world' }))).toBeNull();
    expect(parseAlarmNotification(JSON.stringify({ ...alarmNotification, NewStateValue: 'PANIC' }))).toBeNull();
  });
});
