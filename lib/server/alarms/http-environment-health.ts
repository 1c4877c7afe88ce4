import 'server-only';
import { evaluateHealthAnswer, unreachable, type HealthCheckResult } from '@/lib/alarms/environment-health';
import type { HealthSource } from '@/lib/alarms/ports';

/** More than any health answer needs: a larger body is cut (and will not parse). */
const MAX_BODY_BYTES = 64 * 1024;

async function readBody(res: Response, limit: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= limit) {
      await reader.cancel().catch(() => {});
      break;
    }
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, limit));
}

/** Why fetch failed, in words (undici hides the system error in `cause`). */
function reasonOf(e: unknown, timeoutMs: number): string {
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  const cause = (e as { cause?: { code?: string; message?: string } } | null)?.cause;
  if (cause?.message) return `${cause.code && !cause.message.includes(cause.code) ? `${cause.code}: ` : ''}${cause.message}`;
  return e instanceof Error ? e.message : String(e);
}

/**
 * Health of each environment from its URL (GATEHOUSE_HEALTH_URLS): GET with a timeout covering the
 * whole answer, no redirects followed, the body judged by `evaluateHealthAnswer`. It never throws:
 * a timeout, a refused connection or garbage is a "down" result that says what happened.
 */
export function createHttpHealthSource(urls: Record<string, string>, { timeoutMs }: { timeoutMs: number }): HealthSource {
  return {
    environments: () => Object.keys(urls),
    async check(environment): Promise<HealthCheckResult> {
      const url = urls[environment];
      if (!url) return unreachable(`no health URL is configured for ${environment}`, null);
      const started = performance.now();
      try {
        const res = await fetch(url, {
          method: 'GET',
          headers: { accept: 'application/json', 'user-agent': 'Gatehouse health check' },
          redirect: 'manual',
          cache: 'no-store',
          signal: AbortSignal.timeout(timeoutMs),
        });
        const body = await readBody(res, MAX_BODY_BYTES);
        return evaluateHealthAnswer(res.status, body, performance.now() - started);
      } catch (e) {
        return unreachable(reasonOf(e, timeoutMs), performance.now() - started);
      }
    },
  };
}
