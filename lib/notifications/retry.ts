/** After this many failed attempts a notification is marked FAILED (about two hours of retries). */
export const MAX_DELIVERY_ATTEMPTS = 8;

const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 3_600_000;

/**
 * How long to wait after the `attempts`-th failed attempt: 30 s × 2^(attempts − 1), at most 1 h,
 * with "equal jitter" (half fixed, half random) so that retries from several replicas spread out.
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * A Retry-After header value in milliseconds from `now` (delta-seconds or an HTTP date), capped at
 * 1 h; null when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  let ms: number;
  if (/^\d+$/.test(trimmed)) {
    ms = Number(trimmed) * 1000;
  } else {
    // An HTTP date names its day and zone; Date.parse alone would read "-5" as a year.
    const at = /[a-z]/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
    if (Number.isNaN(at)) return null;
    ms = Math.max(0, at - now.getTime());
  }
  return Math.min(ms, MAX_DELAY_MS);
}

/** When the next attempt is due after a failed one: the backoff, or later if the receiver asked for it. */
export function nextAttemptAt(now: Date, attempts: number, retryAfterMs: number | null, random: () => number = Math.random): Date {
  return new Date(now.getTime() + Math.max(retryDelayMs(attempts, random), retryAfterMs ?? 0));
}
