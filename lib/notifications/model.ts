import type { RequestStatus, RequestType } from '@/lib/access/model';
import type { DeploymentResult } from '@/lib/deployments/result';
import type { Environment } from '@/lib/environments';

/** Why a notification about an access request is sent. */
export const REQUEST_NOTIFICATION_KINDS = ['approval_needed', 'break_glass_review', 'request_decided'] as const;
export type RequestNotificationKind = (typeof REQUEST_NOTIFICATION_KINDS)[number];

/** Why a notification about a deployment is sent: a plan waits for approvers; an execution ended (to its author). */
export const DEPLOYMENT_NOTIFICATION_KINDS = ['deployment_approval_needed', 'deployment_finished'] as const;
export type DeploymentNotificationKind = (typeof DEPLOYMENT_NOTIFICATION_KINDS)[number];

/**
 * Why a notification is sent; stored as the outbox row's `kind`. `slack_decision_update` replaces
 * an "approval needed" message after a decision made from it in Slack (posted to the
 * interaction's response_url, docs/decisions/047-slack-approvals.md).
 */
export type NotificationKind = RequestNotificationKind | DeploymentNotificationKind | 'slack_decision_update';

/** The subset of Slack's text objects and blocks the portal sends (https://api.slack.com/block-kit). */
export interface SlackText {
  type: 'mrkdwn';
  text: string;
}

export interface SlackPlainText {
  type: 'plain_text';
  text: string;
}

/**
 * A Block Kit button: a decision button carries an action id and a value (the request and the
 * kind, nothing secret: lib/slack/interaction.ts); a link button carries a URL.
 */
export interface SlackButton {
  type: 'button';
  action_id: string;
  text: SlackPlainText;
  value?: string;
  url?: string;
  style?: 'primary' | 'danger';
  confirm?: { title: SlackPlainText; text: SlackPlainText; confirm: SlackPlainText; deny: SlackPlainText };
}

export type SlackBlock =
  | { type: 'section'; text: SlackText }
  | { type: 'section'; fields: SlackText[] }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'actions'; elements: SlackButton[] };

/**
 * What an incoming webhook receives: `text` is the fallback shown in notifications, `blocks` the
 * message. Posted to an interaction's response_url, `replace_original` updates the clicked message
 * in place and `response_type: 'ephemeral'` shows an answer to the clicking user only.
 */
export interface SlackPayload {
  text: string;
  blocks: SlackBlock[];
  replace_original?: boolean;
  response_type?: 'ephemeral' | 'in_channel';
}

/** What a message says about a request: names, ids and the link only, never a secret value or free text. */
export interface RequestSummary {
  id: string;
  type: RequestType;
  /** e.g. prod/payments/stripe-api-key or payments/prod/on-call */
  targetName: string;
  environment: Environment;
  requesterName: string;
  approvals: number;
  approvalsRequired: number;
  status: RequestStatus;
  breakGlass: boolean;
  /** Who made the deciding approval or rejection (request_decided only). */
  decidedBy?: string | null;
  /** The portal's public base URL, e.g. https://gatehouse.example.com */
  portalUrl: string;
}

/**
 * What a message says about a deployment: names, ids, counts, the result and the link only —
 * never a parameter value, an output or a comment.
 */
export interface DeploymentSummary {
  id: string;
  environment: Environment;
  stackName: string;
  /** Who planned it: the author. */
  authorName: string;
  approvalsRequired: number;
  /** "0 to add, 3 to modify (1 replaced), 0 to remove", once the change set is ready. */
  changes: string | null;
  /** The release the plan deploys (docs/decisions/042-releases.md); null or absent for plans made before releases. */
  releaseId?: string | null;
  /** deployment_finished only: who executed it and how it ended. */
  executedBy?: string | null;
  result?: DeploymentResult | null;
  /** The portal's public base URL, e.g. https://gatehouse.example.com */
  portalUrl: string;
}
