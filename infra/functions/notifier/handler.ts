import type { SNSEvent } from 'aws-lambda';
import { describeError, type Logger } from '../shared/logger';
import { parseAlarmNotification } from './alarm-message';
import type { PostResult } from './post-json';
import { formatSlackMessage, type SlackMessage } from './slack-message';

export interface NotifierDependencies {
  /** The Slack webhook URL (cached after the first read). */
  webhookUrl: () => Promise<string>;
  post: (url: string, message: SlackMessage) => Promise<PostResult>;
  /** The function's region, for alarms whose notification lacks an ARN. */
  region: string;
  log: Logger;
}

/** Thrown when Slack does not accept a message; SNS's asynchronous invocation retries it. */
export class SlackDeliveryError extends Error {
  override name = 'SlackDeliveryError';
}

/**
 * The notifier: every alarm state change on the topic (ALARM and the recovery to OK) becomes one
 * Slack message. A failure throws, so Lambda's asynchronous retries deliver it later and the
 * notifier-errors alarm counts it.
 */
export function createNotifierHandler(deps: NotifierDependencies): (event: SNSEvent) => Promise<void> {
  return async (event) => {
    for (const record of event.Records) {
      const alarm = parseAlarmNotification(record.Sns.Message);
      if (!alarm) {
        deps.log.warn('not an alarm notification; skipped', { messageId: record.Sns.MessageId, subject: record.Sns.Subject ?? null });
        continue;
      }
      const message = formatSlackMessage(alarm, deps.region);
      const url = await deps.webhookUrl();
      let result: PostResult;
      try {
        result = await deps.post(url, message);
      } catch (error) {
        // describeError keeps name and message: Node's network errors name the host, never the path.
        throw new SlackDeliveryError(`could not reach Slack: ${String(describeError(error).message)}`);
      }
      if (result.status < 200 || result.status >= 300) {
        throw new SlackDeliveryError(`Slack answered ${result.status}: ${result.body.slice(0, 200)}`);
      }
      deps.log.info('alarm posted to Slack', { alarm: alarm.AlarmName, state: alarm.NewStateValue, messageId: record.Sns.MessageId });
    }
  };
}
