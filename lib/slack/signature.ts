import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a request's timestamp may be from now, either way (Slack's own advice: five minutes). */
export const SLACK_TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

/** Why a request is not taken as Slack's: each reason has its own answer. */
export type SignatureRefusal = 'missing_headers' | 'bad_timestamp' | 'stale_timestamp' | 'bad_signature';

export interface SignedRequest {
  /** X-Slack-Request-Timestamp: seconds since the epoch, as Slack sent it. */
  timestamp: string | null;
  /** X-Slack-Signature: `v0=` and the hex HMAC. */
  signature: string | null;
  /** The body exactly as received (the signature covers these bytes). */
  rawBody: Uint8Array;
}

/** `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret: what Slack sends. */
export function signSlackRequest(secret: string, timestamp: string, rawBody: Uint8Array | string): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(rawBody);
  return `v0=${hmac.digest('hex')}`;
}

/**
 * Verifies Slack's request signature (https://api.slack.com/authentication/verifying-requests-from-slack):
 * both headers present, a timestamp within five minutes of `now` either way (a captured request
 * cannot be sent again later), and the signature equal, compared in constant time. A replay inside
 * the window is the caller's to refuse (the signature is its key: docs/decisions/047-slack-approvals.md).
 */
export function verifySlackSignature(secret: string, request: SignedRequest, now: Date): { ok: true } | { ok: false; reason: SignatureRefusal } {
  const { timestamp, signature } = request;
  if (!timestamp || !signature) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > SLACK_TIMESTAMP_TOLERANCE_SECONDS) return { ok: false, reason: 'stale_timestamp' };
  const expected = Buffer.from(signSlackRequest(secret, timestamp, request.rawBody), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  // timingSafeEqual needs equal lengths; the length of a well-formed signature is public anyway.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
  return { ok: true };
}
