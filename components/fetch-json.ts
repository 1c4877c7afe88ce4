/** A refused call to our JSON API: the server's own message (`{ error: { message } }`) and its status. */
export class FetchJsonError extends Error {
  override name = 'FetchJsonError';
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

/**
 * The one way client components read our JSON API (with TanStack Query): no cache (unless `cache`
 * says otherwise: the message catalog's versioned URL is kept), JSON accepted (unless `headers`
 * replaces it: the catalog's request must be the one its preload made).
 * A non-2xx answer throws a FetchJsonError carrying the API's error message (or `HTTP <status>` when
 * the body has none); `accept` lists other statuses whose body is the answer (e.g. /api/health's 503
 * report). A body that is not JSON throws too.
 */
export async function fetchJson<T>(
  url: string,
  {
    method = 'GET',
    accept = [],
    cache = 'no-store',
    headers = { accept: 'application/json' },
  }: { method?: 'GET' | 'POST'; accept?: number[]; cache?: RequestCache; headers?: Record<string, string> } = {},
): Promise<T> {
  const res = await fetch(url, { method, cache, headers });
  const body = (await res.json().catch(() => null)) as (T & { error?: { code?: string; message?: string } }) | null;
  if ((!res.ok && !accept.includes(res.status)) || body === null) {
    const error = body?.error;
    throw new FetchJsonError(error?.message ?? `HTTP ${res.status}`, res.status, error?.code);
  }
  return body;
}
