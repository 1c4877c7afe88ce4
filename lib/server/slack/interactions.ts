import 'server-only';
import type { RequestOrigin } from '@/lib/audit/model';
import { decideRequestSchema } from '@/lib/access/schemas';
import { decideRequest, type AccessDeps } from '@/lib/access/service';
import { AppError, isAppError } from '@/lib/errors';
import type { SlackPayload } from '@/lib/notifications/model';
import { clientAddress } from '@/lib/security/client-address';
import { blockActionsSchema, readSlackIntent, type BlockActions } from '@/lib/slack/interaction';
import { SLACK_TIMESTAMP_TOLERANCE_SECONDS, verifySlackSignature, type SignatureRefusal } from '@/lib/slack/signature';
import { can } from '@/lib/server/auth/permissions';
import { errorResponse } from '@/lib/server/http/errors';
import { findPortalUserForSlack, type SlackDirectoryConfig } from '@/lib/server/slack/directory';

/** What the interactions endpoint needs; lib/server/slack/route.ts wires it to the configuration. */
export interface SlackInteractionsDeps {
  /** SLACK_SIGNING_SECRET; unset, the endpoint answers 404. */
  signingSecret: string | undefined;
  now: () => Date;
  /** The access use cases' ports (the portal's own: a Slack decision is the portal's decision). */
  access: () => AccessDeps;
  directory: SlackDirectoryConfig;
  /** GATEHOUSE_TRUSTED_PROXIES, for the audit's client address. */
  trustedProxies: number;
  /** Origins a response_url may point at (Slack's): any other is ignored, so a payload cannot aim the portal elsewhere. */
  responseUrlOrigins: readonly string[];
  /** Records a verified payload's signature until `expiresAt`; false when already recorded (lib/server/db/repositories/slack-interactions.ts). */
  recordInteraction: (signature: string, expiresAt: Date, now: Date) => Promise<boolean>;
  /** After a decision commits: apply an approved grant and send the queued message update now (the jobs retry). */
  afterDecision: (status: 'PENDING' | 'APPROVED' | 'REJECTED', requestId: string) => void;
  /** Posts an answer for the clicking user only to the response_url; best effort, after the HTTP answer. */
  respond: (responseUrl: string, payload: SlackPayload) => Promise<void>;
}

/** Slack's payloads are a few kilobytes (the clicked message is included); anything far larger is not Slack's. */
const MAX_BODY_BYTES = 256 * 1024;

const REFUSALS: Record<SignatureRefusal, string> = {
  missing_headers: 'Not signed by Slack: X-Slack-Signature and X-Slack-Request-Timestamp are required.',
  bad_timestamp: 'X-Slack-Request-Timestamp is not a time in seconds.',
  stale_timestamp: 'The request is older (or newer) than five minutes: refused, as a replay could be.',
  bad_signature: 'The Slack signature does not match: refused.',
};

function errorJson(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status, headers: { 'cache-control': 'no-store' } });
}

/** The body's bytes exactly as sent (the signature covers them), at most `limit`. */
async function readRawBody(request: Request, limit: number): Promise<Buffer> {
  if (Number(request.headers.get('content-length') ?? '0') > limit) throw new AppError('PAYLOAD_TOO_LARGE', `The body is larger than ${limit} bytes.`);
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const next = reader ? await reader.read() : { done: true as const, value: undefined };
    if (next.done) break;
    size += next.value.byteLength;
    if (size > limit) {
      await reader?.cancel();
      throw new AppError('PAYLOAD_TOO_LARGE', `The body is larger than ${limit} bytes.`);
    }
    chunks.push(next.value);
  }
  return Buffer.concat(chunks);
}

/** `payload=<json>` of a form-encoded body, as a block_actions interaction; null when it is not one. */
function readPayload(raw: Buffer): BlockActions | null {
  const json = new URLSearchParams(raw.toString('utf8')).get('payload');
  if (!json) return null;
  try {
    const parsed = blockActionsSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** An answer shown to the clicking user only; the original message stays as it is. */
function ephemeral(text: string): SlackPayload {
  return { response_type: 'ephemeral', replace_original: false, text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/**
 * POST /api/slack/interactions (docs/decisions/047-slack-approvals.md): a click on an "approval
 * needed" message's buttons. Refused before anything is read: an unconfigured portal (404), a body
 * over 256 KB (413), a missing, stale or wrong signature (401). Then the signature is recorded (a
 * replay is 409, on any replica), the Slack user is matched to a portal user, and the decision runs
 * through the portal's own use case (lib/access/service.ts decideRequest, channel slack): the same
 * rules, the same audit. Refusals of the user (unknown, not an approver, prod) are 200 with an
 * answer shown to that user only, and write nothing but the signature. Slack waits 3 s: the
 * message's update is queued in the decision's transaction and posted after this answers.
 */
export function createSlackInteractionsHandler(deps: SlackInteractionsDeps): (request: Request) => Promise<Response> {
  return async (request) => {
    try {
      if (!deps.signingSecret) {
        return errorJson(404, 'NOT_FOUND', 'Slack interactivity is not configured on this portal: set SLACK_SIGNING_SECRET (docs/decisions/047).');
      }
      const raw = await readRawBody(request, MAX_BODY_BYTES);
      const timestamp = request.headers.get('x-slack-request-timestamp');
      const signature = request.headers.get('x-slack-signature');
      const now = deps.now();
      const verdict = verifySlackSignature(deps.signingSecret, { timestamp, signature, rawBody: raw }, now);
      if (!verdict.ok) return errorJson(401, 'UNAUTHENTICATED', REFUSALS[verdict.reason]);
      const payload = readPayload(raw);
      if (!payload) return errorJson(400, 'BAD_REQUEST', 'Expected a form field "payload" holding a block_actions interaction.');
      // Recorded before acting, under the primary key: a replay is refused even while the first is being handled.
      const expiresAt = new Date((Number(timestamp) + SLACK_TIMESTAMP_TOLERANCE_SECONDS) * 1000);
      if (!(await deps.recordInteraction(signature!, expiresAt, now))) {
        return errorJson(409, 'CONFLICT', 'This Slack request was already handled: a replay is refused.');
      }
      const intent = readSlackIntent(payload);
      if (intent.kind === 'invalid') return errorJson(400, 'BAD_REQUEST', intent.message);
      // The prod message's link button: Slack reports the click and wants it acknowledged, nothing more.
      if (intent.kind === 'acknowledge') return new Response(null, { status: 200 });

      const responseUrl = payload.response_url && deps.responseUrlOrigins.includes(new URL(payload.response_url).origin) ? payload.response_url : null;
      const answer = (text: string): Response => {
        const body = ephemeral(text);
        // Slack shows block_actions answers only through the response_url; the body says it too.
        if (responseUrl) void deps.respond(responseUrl, body).catch(() => console.warn('[slack] could not post an answer to the response_url'));
        return Response.json(body, { headers: { 'cache-control': 'no-store' } });
      };

      const match = await findPortalUserForSlack(payload.user.id, deps.directory);
      if ('refused' in match) return answer(`🚫 ${match.refused}`);
      if (!can(match.actor, 'request.decide')) return answer('🚫 Your roles in Gatehouse do not allow deciding on requests.');
      const input = decideRequestSchema.parse({ requestId: intent.requestId, kind: intent.decision, comment: '' });
      const origin: RequestOrigin = {
        ip: clientAddress(request.headers, deps.trustedProxies),
        userAgent: request.headers.get('user-agent')?.slice(0, 512) ?? null,
      };
      let result: Awaited<ReturnType<typeof decideRequest>>;
      try {
        result = await decideRequest(deps.access(), match.actor, input, origin, { channel: 'slack', slackUserId: payload.user.id, responseUrl });
      } catch (e) {
        if (!isAppError(e)) throw e;
        const url = typeof e.details?.url === 'string' ? e.details.url : null;
        return answer(`🚫 ${e.message}${url ? ` <${url}|Review in Gatehouse>` : ''}`);
      }
      deps.afterDecision(result.status, input.requestId);
      return new Response(null, { status: 200 });
    } catch (e) {
      return errorResponse(e);
    }
  };
}
