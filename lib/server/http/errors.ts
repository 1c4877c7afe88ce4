import 'server-only';
import { $ZodError } from 'zod/v4/core';
import { isAppError, type AppErrorCode } from '@/lib/errors';
import { isCredentialIssue } from '@/lib/security/text';
import { suspectDatabaseOutage } from '@/lib/server/db/outage';
import { isDatabaseUnavailable } from '@/lib/server/db/unavailable';

const STATUS: Record<AppErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNPROCESSABLE: 422,
  STEP_UP_REQUIRED: 403,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

export interface ErrorBody {
  error: { code: AppErrorCode | 'INTERNAL'; message: string; issues?: { path: string; message: string }[] };
}

export const DATABASE_UNAVAILABLE = 'The database is not answering; try again in a few seconds.';

/** Seconds a client is asked to wait before retrying a 503. */
export const RETRY_AFTER_SECONDS = 5;

/** Turns any thrown value into a status and the `{ error: { code, message } }` body; unknown errors are logged and hidden. */
export function describeError(e: unknown): { status: number; body: ErrorBody } {
  if (isAppError(e)) return { status: STATUS[e.code], body: { error: { code: e.code, message: e.message } } };
  // $ZodError: what zod and zod/mini schemas both throw (lib/zod-mini.ts).
  if (e instanceof $ZodError) {
    const issues = e.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const message = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
    // Text holding a credential is well-formed but refused (lib/security/text.ts): 422.
    if (e.issues.some(isCredentialIssue)) return { status: 422, body: { error: { code: 'UNPROCESSABLE', message, issues } } };
    return { status: 400, body: { error: { code: 'BAD_REQUEST', message, issues } } };
  }
  if (isDatabaseUnavailable(e)) {
    // An outage, not a bug: one line (no stack) per request; the pool reconnects by itself.
    console.warn(`[http] database unavailable: ${e instanceof Error ? e.message.trim().split('\n').pop() : String(e)}`);
    // Probe it: if it is down, proxy.ts answers 503 at once until it is back.
    void suspectDatabaseOutage();
    return { status: 503, body: { error: { code: 'UNAVAILABLE', message: DATABASE_UNAVAILABLE } } };
  }
  console.error('[http] unexpected error', e);
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'Internal error. It was logged; try again later.' } } };
}

/** The JSON response for a thrown value. */
export function errorResponse(e: unknown): Response {
  const { status, body } = describeError(e);
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  if (status === 503) headers['retry-after'] = String(RETRY_AFTER_SECONDS);
  return Response.json(body, { status, headers });
}
