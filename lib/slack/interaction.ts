import { z } from 'zod';
import { requestIdSchema } from '@/lib/access/schemas';

/** The action ids of the buttons on an "approval needed" message (lib/notifications/slack-message.ts). */
export const SLACK_ACTIONS = {
  approve: 'gatehouse_approve',
  reject: 'gatehouse_reject',
  /** The prod message's link button: Slack still reports the click, which is only acknowledged. */
  open: 'gatehouse_open',
} as const;

/** What a decision button carries: the request and the kind, nothing secret (Slack shows it to anyone who inspects the message). */
export const slackActionValueSchema = z.strictObject({ requestId: requestIdSchema, kind: z.enum(['APPROVE', 'REJECT']) });
export type SlackActionValue = z.output<typeof slackActionValueSchema>;

/** The value of a decision button. */
export function slackActionValue(value: SlackActionValue): string {
  return JSON.stringify(value);
}

/** A Slack user id: U… or W… (Enterprise Grid). */
export const slackUserIdSchema = z.string().regex(/^[UW][A-Z0-9]{2,30}$/, 'must be a Slack user id such as U0123ABCD');

/**
 * The part of a `block_actions` interaction payload the portal reads
 * (https://api.slack.com/reference/interaction-payloads/block-actions). Slack sends much more; the
 * rest is ignored.
 */
export const blockActionsSchema = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: slackUserIdSchema }),
  response_url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
  actions: z
    .array(z.object({ action_id: z.string().max(255), value: z.string().max(2000).optional() }))
    .min(1)
    .max(5),
});
export type BlockActions = z.output<typeof blockActionsSchema>;

/** What one click asks for: a decision on a request, or nothing (the prod link button, or an action the portal did not send). */
export type SlackIntent = { kind: 'decide'; requestId: string; decision: 'APPROVE' | 'REJECT' } | { kind: 'acknowledge' };

/**
 * Reads the click of a verified payload. A decision button's value must parse and agree with its
 * action id (an approve button never carries REJECT); anything else is refused as a bad request.
 */
export function readSlackIntent(payload: BlockActions): SlackIntent | { kind: 'invalid'; message: string } {
  const action = payload.actions[0]!;
  const expected = action.action_id === SLACK_ACTIONS.approve ? 'APPROVE' : action.action_id === SLACK_ACTIONS.reject ? 'REJECT' : null;
  if (!expected) return { kind: 'acknowledge' };
  let json: unknown;
  try {
    json = JSON.parse(action.value ?? '');
  } catch {
    return { kind: 'invalid', message: 'The button carries no request.' };
  }
  const value = slackActionValueSchema.safeParse(json);
  if (!value.success || value.data.kind !== expected) return { kind: 'invalid', message: 'The button carries no request.' };
  return { kind: 'decide', requestId: value.data.requestId, decision: value.data.kind };
}
