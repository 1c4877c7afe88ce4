import type { RequestStatus, RequestType } from '@/lib/access/model';
import type { Environment } from '@/lib/environments';

/** Why a notification is sent; stored as the outbox row's `kind`. */
export const NOTIFICATION_KINDS = ['approval_needed', 'break_glass_review', 'request_decided'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

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
