import 'server-only';
import { nestsDeeperThan } from '@/lib/server/http/body';

/** Larger server-action bodies are refused (Next.js's own limit is the same, but it answers 500). */
export const ACTION_BODY_LIMIT = 1024 * 1024;
/** Our actions take one flat object or a form: React's encoding nests a few levels; deeper is refused. */
export const ACTION_MAX_DEPTH = 8;

/**
 * React's reply format: a string "$<tag?><hex id>" refers to another part of the body ("$1", "$@1",
 * "$Q2", "$K1"…). A reference to a part the body does not carry makes the decoder wait for it and
 * fail ("Connection closed": a 500 logged as an error), so such bodies are refused here. "$D…"
 * (a date) and "$n…" (a bigint) are values, not references.
 */
const REFERENCE = /^\$(?![Dn])([A-Za-z@]?)([0-9a-f]+)$/;

/** True when some string in the parsed row refers to a part that is not among `parts`. */
function refersToMissingPart(row: unknown, parts: ReadonlySet<string>): boolean {
  const stack: unknown[] = [row];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') {
      const m = REFERENCE.exec(v);
      // A form's fields ($K) may legitimately be none; every other reference needs its part.
      if (m && m[1] !== 'K' && !parts.has(String(parseInt(m[2]!, 16)))) return true;
    } else if (v && typeof v === 'object') stack.push(...Object.values(v));
  }
  return false;
}

/**
 * Why a server-action call must not reach Next.js, or null when it may (docs/decisions/031). Next.js
 * answers a body it cannot decode (not JSON, empty, too large) with a 500 and an error in the log;
 * proxy.ts answers these 4xx first, before anything runs: also bodies that refer to parts they do
 * not carry. An unknown action id is Next.js's own 409, logged as a warning.
 */
export async function refuseMalformedAction(request: Request): Promise<{ status: 400 | 413; message: string } | null> {
  const declared = Number(request.headers.get('content-length') ?? 'NaN');
  if (declared > ACTION_BODY_LIMIT) return { status: 413, message: `The body is larger than ${ACTION_BODY_LIMIT} bytes.` };
  if (declared === 0 || !request.body) return { status: 400, message: 'A server action needs a body.' };
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
  const copy = request.clone();
  if (type === 'multipart/form-data') {
    let form: FormData;
    try {
      form = await copy.formData();
    } catch {
      return { status: 400, message: 'The form data is malformed.' };
    }
    // The numbered fields are React's rows, JSON each; "0" is the root.
    const parts = new Set([...form.keys()].filter((k) => /^\d+$/.test(k)));
    for (const key of parts) {
      const value = form.get(key);
      if (typeof value !== 'string') continue;
      let row: unknown;
      try {
        row = JSON.parse(value) as unknown;
      } catch {
        return { status: 400, message: 'The body is not valid JSON.' };
      }
      if (nestsDeeperThan(row, ACTION_MAX_DEPTH)) return { status: 400, message: `The body nests deeper than ${ACTION_MAX_DEPTH} levels.` };
      if (refersToMissingPart(row, parts)) return { status: 400, message: 'The body refers to parts it does not carry.' };
    }
    return null;
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
  // A single-row body carries no other part to refer to.
  if (refersToMissingPart(parsed, new Set(['0']))) return { status: 400, message: 'The body refers to parts it does not carry.' };
  return null;
}
