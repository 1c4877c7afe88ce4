import 'server-only';
import { AppError } from '@/lib/errors';

const DEFAULT_LIMIT = 64 * 1024;

/** Reads a JSON body of at most `limit` bytes; 413 when larger, 400 when it is not JSON. */
export async function readJson(request: Request, limit = DEFAULT_LIMIT): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) throw new AppError('PAYLOAD_TOO_LARGE', `The body is larger than ${limit} bytes.`);
  const reader = request.body?.getReader();
  if (!reader) throw new AppError('BAD_REQUEST', 'A JSON body is required.');
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
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) throw new AppError('BAD_REQUEST', 'A JSON body is required.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('BAD_REQUEST', 'The body is not valid JSON.');
  }
}
