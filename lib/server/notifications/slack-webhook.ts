import 'server-only';
import type { SlackPayload } from '@/lib/notifications/model';
import { DeliveryError, type NotifierPort } from '@/lib/notifications/ports';
import { parseRetryAfter } from '@/lib/notifications/retry';

/** How long one POST may take; delivery's claim lease is sized from it (deliver.ts). */
export const SLACK_SEND_TIMEOUT_MS = 5_000;

/**
 * Posts to a Slack incoming webhook. Non-2xx answers and network errors throw a DeliveryError whose
 * message never contains the webhook URL (it is a credential); a 429's Retry-After is passed on.
 */
export function createSlackWebhookNotifier(
  webhookUrl: string,
  {
    timeoutMs = SLACK_SEND_TIMEOUT_MS,
    label = 'Slack webhook',
  }: { timeoutMs?: number; /** Names the receiver in errors (never its URL). */ label?: string } = {},
): NotifierPort {
  return {
    async send(payload: SlackPayload) {
      let response: Response;
      try {
        response = await fetch(webhookUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(payload),
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'error',
        });
      } catch (e) {
        throw new DeliveryError(`${label} unreachable: ${describeFetchError(e)}`);
      }
      if (response.ok) {
        await response.body?.cancel();
        return;
      }
      // Slack answers errors with a short code (invalid_payload, no_service, channel_not_found…).
      const body = (await response.text().catch(() => '')).slice(0, 200).replace(/\s+/g, ' ').trim();
      const retryAfterMs = response.status === 429 ? parseRetryAfter(response.headers.get('retry-after'), new Date()) : null;
      throw new DeliveryError(`${label} answered ${response.status}${body ? `: ${body}` : ''}`, retryAfterMs);
    },
  };
}

/** "fetch failed" alone says nothing: name the cause (ECONNREFUSED, timeout…), never the URL. */
function describeFetchError(e: unknown): string {
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return 'timed out';
  const cause = e instanceof Error ? (e.cause as { code?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  return e instanceof Error ? e.name : 'unknown error';
}
