/**
 * Token buckets keyed by caller: `capacity` requests at once, refilled at `perMinute`. Per process:
 * with N replicas behind a load balancer a caller gets up to N times the rate, which is what these
 * limits are for (a runaway script, password guessing), not exact quotas (docs/decisions/021).
 */
export interface RateLimiter {
  /** Takes one token; `retryAfterSeconds` is set when none is left. */
  take(key: string, now: number): { allowed: boolean; retryAfterSeconds: number; remaining: number };
}

export function createRateLimiter({
  perMinute,
  capacity = perMinute,
  maxKeys = 10_000,
}: {
  perMinute: number;
  capacity?: number;
  maxKeys?: number;
}): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = perMinute / 60_000;
  return {
    take(key, now) {
      let bucket = buckets.get(key);
      if (!bucket) {
        // Bounded memory: forget the oldest caller first (Map keeps insertion order).
        if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value as string);
        bucket = { tokens: capacity, at: now };
      } else {
        bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.at) * perMs);
        bucket.at = now;
        buckets.delete(key);
      }
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true, retryAfterSeconds: 0, remaining: Math.floor(bucket.tokens) };
      }
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)), remaining: 0 };
    },
  };
}
