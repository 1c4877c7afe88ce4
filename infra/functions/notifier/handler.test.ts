import { describe, expect, it, vi } from 'vitest';
import { recordingLogger } from '../shared/test-logger';
import { alarmNotification, okNotification, snsEvent } from './fixtures';
import { createNotifierHandler, SlackDeliveryError, type NotifierDependencies } from './handler';
import type { SlackMessage } from './slack-message';

const WEBHOOK = 'https://hooks.slack.com/services/T0000/B0000/s3cr3tT0k3n';

function deps(post: NotifierDependencies['post']) {
  const log = recordingLogger();
  const webhookUrl = vi.fn(async () => WEBHOOK);
  return { log, webhookUrl, post: vi.fn(post), region: 'eu-central-1' };
}

describe('notifier', () => {
  it('posts one Slack message per alarm state change: ALARM, then the OK recovery', async () => {
    const d = deps(async () => ({ status: 200, body: 'ok' }));
    const handler = createNotifierHandler(d);

    await handler(snsEvent(alarmNotification, okNotification));

    expect(d.post).toHaveBeenCalledTimes(2);
    const [first, second] = d.post.mock.calls.map((c) => c as [string, SlackMessage]);
    expect(first![0]).toBe(WEBHOOK);
    expect(first![1].text).toBe('ALARM: serverless-prod-api-errors (account 123456789012, eu-central-1)');
    expect(second![1].text).toBe('OK (recovered): serverless-prod-api-errors (account 123456789012, eu-central-1)');
    expect(d.log.entries.map((e) => e.message)).toEqual(['alarm posted to Slack', 'alarm posted to Slack']);
  });

  it('skips a message that is not an alarm notification without calling Slack', async () => {
    const d = deps(async () => ({ status: 200, body: 'ok' }));
    await createNotifierHandler(d)(snsEvent('{"hello":"from the SNS console"}'));
    expect(d.post).not.toHaveBeenCalled();
    expect(d.webhookUrl).not.toHaveBeenCalled();
    expect(d.log.entries).toEqual([
      {
        level: 'warn',
        message: 'not an alarm notification; skipped',
        data: { messageId: 'sns-1', subject: 'ALARM: "serverless-prod-api-errors" in EU (Frankfurt)' },
      },
    ]);
  });

  it('fails (so Lambda retries) when Slack refuses, without the webhook URL in the error or the logs', async () => {
    const d = deps(async () => ({ status: 404, body: 'no_service' }));
    const error = await createNotifierHandler(d)(snsEvent(alarmNotification)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SlackDeliveryError);
    expect((error as Error).message).toBe('Slack answered 404: no_service');
    expect((error as Error).message).not.toContain('s3cr3t');
    expect(d.log.text()).not.toContain('s3cr3t');
  });

  it('fails when Slack cannot be reached, naming the cause but not the URL', async () => {
    const d = deps(async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND hooks.slack.com'), { code: 'ENOTFOUND' });
    });
    await expect(createNotifierHandler(d)(snsEvent(alarmNotification))).rejects.toThrow('could not reach Slack: getaddrinfo ENOTFOUND hooks.slack.com');
    expect(d.log.text()).not.toContain('s3cr3t');
  });

  it('fails when the webhook secret is not filled in yet', async () => {
    const d = deps(async () => ({ status: 200, body: 'ok' }));
    d.webhookUrl.mockRejectedValueOnce(new Error('secret serverless-prod/slack-webhook holds no webhook URL yet'));
    await expect(createNotifierHandler(d)(snsEvent(alarmNotification))).rejects.toThrow('holds no webhook URL yet');
    expect(d.post).not.toHaveBeenCalled();
  });
});
