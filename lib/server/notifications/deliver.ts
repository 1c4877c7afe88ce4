import 'server-only';
import { DeliveryError, type NotificationOutbox, type NotifierPort } from '@/lib/notifications/ports';
import { MAX_DELIVERY_ATTEMPTS, nextAttemptAt } from '@/lib/notifications/retry';
import { createSlackWebhookNotifier, SLACK_SEND_TIMEOUT_MS } from '@/lib/server/notifications/slack-webhook';

export interface DeliveryReport {
  sent: number;
  /** Failed this time, due again later. */
  retrying: number;
  /** Failed for the last time: marked FAILED. */
  failed: number;
  /** Claimed but not attempted because the receiver is rate-limiting; due again when it allows. */
  deferred: number;
}

/**
 * Sends the due notifications of the outbox (docs/decisions/006-notifications.md). Safe to run on
 * several replicas at once: each run claims its rows (SKIP LOCKED) and holds them for a lease,
 * so a notification is sent by one run. A failed send is retried with exponential backoff and
 * jitter (or when a 429 says), and marked FAILED after MAX_DELIVERY_ATTEMPTS. Delivery is at least
 * once: a process that dies after Slack accepted a message but before recording it sends it again
 * once the lease has run out.
 */
export async function deliverPendingNotifications(
  outbox: NotificationOutbox,
  notifier: NotifierPort,
  now: Date,
  batch = 20,
  /** Where a row with a target URL (a Slack response_url, decision 047) is posted; the webhook adapter by default. */
  toTarget: (url: string) => NotifierPort = (url) => createSlackWebhookNotifier(url, { label: 'Slack response_url' }),
): Promise<DeliveryReport> {
  // Sends are sequential (Slack allows about one message a second per webhook), so the lease must
  // outlast a whole batch of timed-out sends, or another replica would take rows over mid-run.
  const leaseUntil = new Date(now.getTime() + batch * (SLACK_SEND_TIMEOUT_MS + 1_000) + 60_000);
  const claimed = await outbox.claimDue(now, batch, leaseUntil);
  const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0, deferred: 0 };
  let rateLimitedUntil: Date | null = null;
  for (const n of claimed) {
    if (rateLimitedUntil) {
      // The whole webhook is rate-limited: asking again now would only earn more 429s.
      await outbox.release(n.id, n.attempts, rateLimitedUntil);
      report.deferred++;
      continue;
    }
    try {
      await (n.targetUrl ? toTarget(n.targetUrl) : notifier).send(n.payload);
    } catch (e) {
      const retryAfterMs = e instanceof DeliveryError ? e.retryAfterMs : null;
      const error = e instanceof Error ? e.message : String(e);
      const final = n.attempts >= MAX_DELIVERY_ATTEMPTS;
      const next = nextAttemptAt(now, n.attempts, retryAfterMs);
      await outbox.markFailed(n.id, n.attempts, { error, nextAttemptAt: next, final });
      const what = `${n.kind} notification ${n.id} (about ${n.requestId})`;
      if (final) {
        report.failed++;
        console.error(`[notifications] gave up on ${what} after ${n.attempts} attempts: ${error}`);
      } else {
        report.retrying++;
        console.warn(`[notifications] ${what} attempt ${n.attempts} failed (${error}); next at ${next.toISOString()}`);
      }
      if (retryAfterMs !== null) rateLimitedUntil = next;
      continue;
    }
    await outbox.markSent(n.id, n.attempts, now);
    report.sent++;
  }
  return report;
}
