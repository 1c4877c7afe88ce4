import 'server-only';
import { AppError } from '@/lib/errors';

const DEFAULT_LIMIT = 64 * 1024;
/** No API body nests deeper than this (a deployment's parameters are two levels); deeper is refused. */
export const MAX_BODY_DEPTH = 6;

/** True for application/json and its +json variants, with any parameters (charset). */
function isJsonContentType(value: string | null): boolean {
  const type = value?.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/** True when a parsed JSON value nests deeper than `limit` (iterative: no stack to exhaust). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * The JSON body of an API write (docs/decisions/031-web-inputs-and-sessions.md), or undefined when
 * there is none: 415 unless it is sent as application/json, 413 above `limit` bytes, 400 when it is
 * not JSON or nests deeper than MAX_BODY_DEPTH. Called once, by the route wrapper.
 */
export async function readJsonBody(request: Request, limit = DEFAULT_LIMIT): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) throw new AppError('PAYLOAD_TOO_LARGE', `The body is larger than ${limit} bytes.`);
  const reader = request.body?.getReader();
  if (!reader) return undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new AppError('PAYLOAD_TOO_LARGE', `The body is larger than ${limit} bytes.`);
    }
    chunks.push(value);
  }
  if (size === 0) return undefined;
  if (!isJsonContentType(request.headers.get('content-type'))) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as JSON, with Content-Type: application/json.');
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    throw new AppError('BAD_REQUEST', 'The body is not valid JSON.');
  }
  if (nestsDeeperThan(parsed, MAX_BODY_DEPTH)) throw new AppError('BAD_REQUEST', `The body nests deeper than ${MAX_BODY_DEPTH} levels.`);
  return parsed;
}
