import 'server-only';
import type { NotificationOutbox, NotifierPort } from '@/lib/notifications/ports';
import { createNotificationOutbox } from '@/lib/server/db/repositories/notifications';
import { deliverPendingNotifications, type DeliveryReport } from '@/lib/server/notifications/deliver';
import { notifier } from '@/lib/server/notifications/notifier';

/** One delivery pass of the outbox with the configured notifier: the job's, and the one run at once after a break-glass use. */
export function deliverNotifications(
  outbox: NotificationOutbox = createNotificationOutbox(),
  send: NotifierPort = notifier(),
  now: Date = new Date(),
): Promise<DeliveryReport> {
  return deliverPendingNotifications(outbox, send, now);
}

/**
 * Sends what the outbox holds now instead of at the job's next tick: a break-glass use reaches the
 * security channel at once (docs/decisions/028). What fails here is retried by the job.
 */
export function sendNotificationsNow(): void {
  void deliverNotifications().catch((e) => console.error('[notifications] immediate delivery failed; the job retries', e));
}
