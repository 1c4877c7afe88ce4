import { slackInteractionsRoute } from '@/lib/server/slack/route';

/** Slack's interactivity request URL: Approve and Reject clicks (docs/decisions/047-slack-approvals.md). */
export const POST = slackInteractionsRoute;
