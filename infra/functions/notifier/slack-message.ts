import { alarmLocation, type AlarmNotification } from './alarm-message';

/** A Slack incoming-webhook payload: `text` is the notification fallback, `blocks` the layout. */
export interface SlackMessage {
  text: string;
  blocks: Record<string, unknown>[];
}

const STATE = {
  ALARM: { emoji: ':rotating_light:', label: 'ALARM' },
  OK: { emoji: ':white_check_mark:', label: 'OK (recovered)' },
  INSUFFICIENT_DATA: { emoji: ':grey_question:', label: 'INSUFFICIENT DATA' },
} as const;

/** Slack's mrkdwn needs &, < and > escaped, or a reason like "x < 5" breaks the message. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The CloudWatch console page of one alarm, in the alarm's partition and region. */
export function alarmConsoleUrl(alarmName: string, partition: string, region: string): string {
  const host =
    partition === 'aws-cn'
      ? `${region}.console.amazonaws.cn`
      : partition === 'aws-us-gov'
        ? 'console.amazonaws-us-gov.com'
        : `${region}.console.aws.amazon.com`;
  return `https://${host}/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(alarmName)}`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Builds the Slack message for an alarm state change: state, alarm, account, region, reason and a console link. */
export function formatSlackMessage(alarm: AlarmNotification, fallbackRegion: string): SlackMessage {
  const { partition, region } = alarmLocation(alarm, fallbackRegion);
  const state = STATE[alarm.NewStateValue];
  const url = alarmConsoleUrl(alarm.AlarmName, partition, region);
  const name = escapeMrkdwn(alarm.AlarmName);
  const previous = alarm.OldStateValue ? ` (was ${alarm.OldStateValue})` : '';
  const blocks: Record<string, unknown>[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `${state.emoji} *${state.label}*${previous} · *<${url}|${name}>*` } },
  ];
  if (alarm.AlarmDescription) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(truncate(alarm.AlarmDescription, 1000)) } });
  blocks.push(
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Account*\n${alarm.AWSAccountId}` },
        { type: 'mrkdwn', text: `*Region*\n${region}` },
        { type: 'mrkdwn', text: `*Since*\n${escapeMrkdwn(alarm.StateChangeTime)}` },
        { type: 'mrkdwn', text: `*Reason*\n${escapeMrkdwn(truncate(alarm.NewStateReason, 1500))}` },
      ],
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `<${url}|Open in the CloudWatch console>` }] },
  );
  return {
    text: `${state.label}: ${alarm.AlarmName} (account ${alarm.AWSAccountId}, ${region})`,
    blocks,
  };
}
