import type { NotificationKind, SlackPayload } from '@/lib/notifications/model';

/** Where rendered messages go: a Slack incoming webhook, or the log when none is configured. */
export interface NotifierPort {
  /** Resolves once the receiver accepted the message; throws (a DeliveryError where it can) otherwise. */
  send(payload: SlackPayload): Promise<void>;
}

/** A send that did not go through; `retryAfterMs` when the receiver said when to come back (429 Retry-After). */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    message: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/** A notification to queue in the transaction of the change it reports (the outbox). */
export interface NewNotification {
  kind: NotificationKind;
  /** The access request or deployment the message is about (the kind says which); no foreign key: the row is history. */
  requestId: string;
  payload: SlackPayload;
  /** When it was queued; it is due from then. */
  createdAt: Date;
  /** Where to post instead of the webhook: a Slack interaction's response_url (the message is updated in place). */
  targetUrl?: string | null;
}

/** A notification claimed by one delivery run; `attempts` already counts this attempt. */
export interface ClaimedNotification {
  id: string;
  kind: string;
  requestId: string;
  payload: SlackPayload;
  attempts: number;
  /** Set: post to this response_url instead of the webhook. */
  targetUrl: string | null;
}

/**
 * The outbox as delivery sees it. Every write after the claim names the attempt it belongs to and
 * changes nothing when the row has moved on (another run took it over after the lease ran out).
 */
export interface NotificationOutbox {
  /**
   * Claims up to `limit` due notifications until `leaseUntil`, counting an attempt on each.
   * Concurrent callers (other replicas) never claim the same row.
   */
  claimDue(now: Date, limit: number, leaseUntil: Date): Promise<ClaimedNotification[]>;
  markSent(id: string, attempts: number, sentAt: Date): Promise<boolean>;
  /** Records a failed attempt: due again at `nextAttemptAt`, or given up for good when `final`. */
  markFailed(id: string, attempts: number, failure: { error: string; nextAttemptAt: Date; final: boolean }): Promise<boolean>;
  /** Gives back a claim that was not attempted (the receiver is rate-limiting), without counting it. */
  release(id: string, attempts: number, nextAttemptAt: Date): Promise<boolean>;
}
