import 'server-only';
import { nestsDeeperThan } from '@/lib/server/http/body';

/** Larger server-action bodies are refused (Next.js's own limit is the same, but it answers 500). */
export const ACTION_BODY_LIMIT = 1024 * 1024;
/** Our actions take one flat object or a form: React's encoding nests a few levels; deeper is refused. */
export const ACTION_MAX_DEPTH = 8;

/**
 * Why a server-action call must not reach Next.js, or null when it may (docs/decisions/031). Next.js
 * answers a body it cannot decode (not JSON, empty, too large) with a 500 and an error in the log;
 * proxy.ts answers these 4xx first, before anything runs. What React's decoder refuses beyond this
 * (well-formed JSON with broken references) still ends in Next.js's 500, with nothing written.
 */
export async function refuseMalformedAction(request: Request): Promise<{ status: 400 | 413; message: string } | null> {
  const declared = Number(request.headers.get('content-length') ?? 'NaN');
  if (declared > ACTION_BODY_LIMIT) return { status: 413, message: `The body is larger than ${ACTION_BODY_LIMIT} bytes.` };
  if (declared === 0 || !request.body) return { status: 400, message: 'A server action needs a body.' };
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
  const copy = request.clone();
  if (type === 'multipart/form-data') {
    try {
      await copy.formData();
      return null;
    } catch {
      return { status: 400, message: 'The form data is malformed.' };
    }
  }
  const text = await copy.text();
  if (Buffer.byteLength(text) > ACTION_BODY_LIMIT) return { status: 413, message: `The body is larger than ${ACTION_BODY_LIMIT} bytes.` };
  if (!text.trim()) return { status: 400, message: 'A server action needs a body.' };
  if (type === 'application/x-www-form-urlencoded') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    return { status: 400, message: 'The body is not valid JSON.' };
  }
  if (nestsDeeperThan(parsed, ACTION_MAX_DEPTH)) return { status: 400, message: `The body nests deeper than ${ACTION_MAX_DEPTH} levels.` };
  return null;
}
