import type { RequestStatus, RequestType } from '@/lib/access/model';
import type { DeploymentResult } from '@/lib/deployments/result';
import type { Environment } from '@/lib/environments';

/** Why a notification about an access request is sent. */
export const REQUEST_NOTIFICATION_KINDS = ['approval_needed', 'break_glass_review', 'request_decided'] as const;
export type RequestNotificationKind = (typeof REQUEST_NOTIFICATION_KINDS)[number];

/** Why a notification about a deployment is sent: a plan waits for approvers; an execution ended (to its author). */
export const DEPLOYMENT_NOTIFICATION_KINDS = ['deployment_approval_needed', 'deployment_finished'] as const;
export type DeploymentNotificationKind = (typeof DEPLOYMENT_NOTIFICATION_KINDS)[number];

/** Why a notification is sent; stored as the outbox row's `kind`. */
export type NotificationKind = RequestNotificationKind | DeploymentNotificationKind;

/** The subset of Slack's text objects and blocks the portal sends (https://api.slack.com/block-kit). */
export interface SlackText {
  type: 'mrkdwn';
  text: string;
}

export type SlackBlock = { type: 'section'; text: SlackText } | { type: 'section'; fields: SlackText[] } | { type: 'context'; elements: SlackText[] };

/** What an incoming webhook receives: `text` is the fallback shown in notifications, `blocks` the message. */
export interface SlackPayload {
  text: string;
  blocks: SlackBlock[];
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
