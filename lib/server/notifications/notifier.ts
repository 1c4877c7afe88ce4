import 'server-only';
import type { NotifierPort } from '@/lib/notifications/ports';
import { env } from '@/lib/server/env';
import { createLogNotifier } from '@/lib/server/notifications/log-notifier';
import { createSlackWebhookNotifier } from '@/lib/server/notifications/slack-webhook';

/** The configured notifier: the Slack webhook when SLACK_WEBHOOK_URL is set, else the log. */
export function notifier(): NotifierPort {
  const url = env().SLACK_WEBHOOK_URL;
  return url ? createSlackWebhookNotifier(url) : createLogNotifier();
}
