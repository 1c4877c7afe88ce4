import 'server-only';
import type { SlackPayload } from '@/lib/notifications/model';
import { accessDeps } from '@/lib/server/access';
import { recordSlackInteraction } from '@/lib/server/db/repositories/slack-interactions';
import { findActiveActorByEmail } from '@/lib/server/db/repositories/users';
import { env } from '@/lib/server/env';
import { applyGrantNow } from '@/lib/server/grants';
import { sendNotificationsNow } from '@/lib/server/notifications/send-now';
import { createSlackWebhookNotifier } from '@/lib/server/notifications/slack-webhook';
import { createSlackInteractionsHandler } from '@/lib/server/slack/interactions';

/** Where Slack's response_urls live; tests add the origin of SLACK_API_URL (their local Slack). */
const SLACK_HOOKS_ORIGIN = 'https://hooks.slack.com';

/** Posts an ephemeral answer to a response_url: 2 s at most, it is only a courtesy. */
function respond(url: string, payload: SlackPayload): Promise<void> {
  return createSlackWebhookNotifier(url, { label: 'Slack response_url', timeoutMs: 2_000 }).send(payload);
}

/** POST /api/slack/interactions, wired to the configuration (docs/decisions/047-slack-approvals.md). */
export function slackInteractionsRoute(request: Request): Promise<Response> {
  const e = env();
  return createSlackInteractionsHandler({
    signingSecret: e.SLACK_SIGNING_SECRET,
    now: () => new Date(),
    access: accessDeps,
    directory: { userMap: e.SLACK_USER_MAP, botToken: e.SLACK_BOT_TOKEN, apiUrl: e.SLACK_API_URL, findUserByEmail: (email) => findActiveActorByEmail(email) },
    recordInteraction: (signature, expiresAt, now) => recordSlackInteraction(signature, expiresAt, now),
    trustedProxies: e.GATEHOUSE_TRUSTED_PROXIES,
    responseUrlOrigins: [SLACK_HOOKS_ORIGIN, new URL(e.SLACK_API_URL).origin],
    afterDecision: (status, requestId) => {
      if (status === 'APPROVED') applyGrantNow(requestId);
      sendNotificationsNow();
    },
    respond,
  })(request);
}
