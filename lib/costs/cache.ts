import { AppError, isAppError } from '@/lib/errors';
import type { CostCacheStore, PaidRequest, PaidRequestHook, QueryFailure } from '@/lib/costs/ports';

/**
 * The cache in front of Cost Explorer (docs/decisions/014-cost-explorer-cache.md): one stored
 * answer per (query, UTC day), refreshed at most once per query per interval whatever the number
 * of viewers; concurrent first requests are single-flighted, within a process by a shared promise
 * and across replicas by a lease row in the database.
 */
export interface CostCacheDeps {
  store: CostCacheStore;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** Refresh interval (GATEHOUSE_COST_REFRESH_HOURS). */
  refreshMs: number;
  /** This process's name on leases. */
  holder: string;
  /** Fetches in flight in this process, keyed by query and day. */
  inflight: Map<string, Promise<unknown>>;
  mode: 'sandbox' | 'aws';
  leaseMs?: number;
  pollMs?: number;
}

export interface Cached<T> {
  value: T;
  fetchedAt: Date;
  /** An older answer served while another server fetches the new one. */
  stale: boolean;
  /** This call made the paid request(s). */
  refreshed: boolean;
}

/** An optional answer (the forecast) that could not be had: its fetch failed and is retried after `retryAt`. */
export interface Unavailable {
  unavailable: true;
  /** The failure's AppError code. */
  code: string;
  failedAt: Date;
  retryAt: Date;
}

export function isUnavailable<T>(r: Cached<T> | Unavailable): r is Unavailable {
  return 'unavailable' in r;
}

/** A forced refresh ("refresh now") is still refused within this time of the last fetch. */
export const FORCED_REFRESH_MIN_MS = 10 * 60_000;
/** First wait after a failed optional fetch; doubles per consecutive failure up to the maximum (decision 027). */
export const FAILURE_BACKOFF_MS = 5 * 60_000;
export const FAILURE_BACKOFF_MAX_MS = 60 * 60_000;
const LEASE_MS = 30_000;
const POLL_MS = 150;

/** The UTC day of an instant, as Cost Explorer counts days. */
export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Whether a stored answer may be served as is. */
export function isFresh(row: { day: string; fetchedAt: Date }, now: Date, refreshMs: number, force = false): boolean {
  const age = now.getTime() - row.fetchedAt.getTime();
  return row.day === utcDay(now) && age < (force ? Math.min(FORCED_REFRESH_MIN_MS, refreshMs) : refreshMs);
}

/** How long to wait after the `failures`-th consecutive failure: 5 min doubling to 1 h. */
export function failureBackoffMs(failures: number): number {
  return Math.min(FAILURE_BACKOFF_MAX_MS, FAILURE_BACKOFF_MS * 2 ** Math.max(0, failures - 1));
}

/**
 * When a failed query may be fetched again: at `retryAt`, or, for "refresh now", once the failure
 * is 10 minutes old (forcing never spends more than one request per query per 10 minutes).
 */
export function retryAllowedAt(failure: QueryFailure, force: boolean): Date {
  return force ? new Date(Math.min(failure.retryAt.getTime(), failure.failedAt.getTime() + FORCED_REFRESH_MIN_MS)) : failure.retryAt;
}

/**
 * The answer to one query: from the store when fresh, otherwise fetched once (by whichever server
 * takes the lease) while the others wait for it, or get the previous answer marked stale.
 * `force` ignores the refresh interval but not the 10-minute floor. A failed fetch throws.
 */
export function cachedQuery<T>(
  deps: CostCacheDeps,
  queryKey: string,
  fetch: (onRequest: PaidRequestHook) => Promise<T>,
  { force = false } = {},
): Promise<Cached<T>> {
  return single(deps, queryKey, force, 'required', () => runQuery(deps, queryKey, fetch, force, false) as Promise<Cached<T>>);
}

/**
 * Like `cachedQuery`, for an answer the page can do without (the forecast): a failed fetch is
 * recorded and answered as `Unavailable`, and nobody asks Cost Explorer again until the backoff
 * has passed — whatever the number of viewers or replicas (docs/decisions/027-forecast-backoff-and-ambiguous-execute.md).
 */
export function cachedOptionalQuery<T>(
  deps: CostCacheDeps,
  queryKey: string,
  fetch: (onRequest: PaidRequestHook) => Promise<T>,
  { force = false } = {},
): Promise<Cached<T> | Unavailable> {
  return single(deps, queryKey, force, 'optional', () => runQuery(deps, queryKey, fetch, force, true));
}

/** One flight per query, day and kind in this process: concurrent viewers share its result. */
function single<R extends Cached<unknown> | Unavailable>(
  deps: CostCacheDeps,
  queryKey: string,
  force: boolean,
  kind: string,
  run: () => Promise<R>,
): Promise<R> {
  const flightKey = `${queryKey}|${utcDay(deps.now())}|${force ? 'force' : ''}|${kind}`;
  const running = deps.inflight.get(flightKey) as Promise<R> | undefined;
  if (running) return running.then((r) => (isUnavailable(r) ? r : { ...r, refreshed: false }));
  const flight = run().finally(() => deps.inflight.delete(flightKey));
  deps.inflight.set(flightKey, flight);
  return flight;
}

function unavailable(f: QueryFailure): Unavailable {
  return { unavailable: true, code: f.code, failedAt: f.failedAt, retryAt: f.retryAt };
}

/** The recorded failure that still holds the query back, if any. */
async function blockingFailure(deps: CostCacheDeps, queryKey: string, force: boolean): Promise<QueryFailure | null> {
  const failure = await deps.store.failure(queryKey);
  return failure && deps.now().getTime() < retryAllowedAt(failure, force).getTime() ? failure : null;
}

async function runQuery<T>(
  deps: CostCacheDeps,
  queryKey: string,
  fetch: (onRequest: PaidRequestHook) => Promise<T>,
  force: boolean,
  optional: boolean,
): Promise<Cached<T> | Unavailable> {
  const leaseMs = deps.leaseMs ?? LEASE_MS;
  const pollMs = deps.pollMs ?? POLL_MS;
  // A waiter outlives a lease, so that a crashed holder's lease expires and a waiter takes over.
  const deadline = deps.now().getTime() + leaseMs + 5_000;
  for (;;) {
    const now = deps.now();
    const row = await deps.store.latest<T>(queryKey);
    if (row && isFresh(row, now, deps.refreshMs, force)) return { value: row.payload, fetchedAt: row.fetchedAt, stale: false, refreshed: false };
    if (optional) {
      const failed = await blockingFailure(deps, queryKey, force);
      if (failed) return unavailable(failed);
    }
    if (await deps.store.acquireLease(queryKey, deps.holder, now, new Date(now.getTime() + leaseMs))) {
      try {
        // Another server may have stored a fresh answer (or a failure) between our read and our lease.
        const again = await deps.store.latest<T>(queryKey);
        if (again && isFresh(again, deps.now(), deps.refreshMs, force))
          return { value: again.payload, fetchedAt: again.fetchedAt, stale: false, refreshed: false };
        const previous = optional ? await deps.store.failure(queryKey) : null;
        if (previous && deps.now().getTime() < retryAllowedAt(previous, force).getTime()) return unavailable(previous);
        const requests: PaidRequest[] = [];
        let value: T;
        try {
          value = await fetch((operation) => requests.push({ at: deps.now(), operation, queryKey, mode: deps.mode }));
        } catch (e) {
          // Pages already answered were billed: the ledger keeps them even when the fetch fails.
          if (requests.length) await deps.store.recordRequests(requests);
          if (!optional) throw e;
          const failedAt = deps.now();
          const failures = (previous?.failures ?? 0) + 1;
          const failure: QueryFailure = {
            failedAt,
            retryAt: new Date(failedAt.getTime() + failureBackoffMs(failures)),
            failures,
            code: isAppError(e) ? e.code : 'UNAVAILABLE',
          };
          await deps.store.recordFailure(queryKey, failure);
          console.warn(
            `[costs] ${queryKey} failed (${failures} in a row); not asked again before ${failure.retryAt.toISOString()}: ${e instanceof Error ? e.message : String(e)}`,
          );
          return unavailable(failure);
        }
        const fetchedAt = deps.now();
        await deps.store.save(queryKey, utcDay(fetchedAt), value, fetchedAt, requests);
        return { value, fetchedAt, stale: false, refreshed: true };
      } finally {
        await deps.store.releaseLease(queryKey, deps.holder);
      }
    }
    // Someone else is fetching: serve what we have now rather than keep the viewer waiting.
    if (row && !force) return { value: row.payload, fetchedAt: row.fetchedAt, stale: true, refreshed: false };
    if (deps.now().getTime() >= deadline) {
      const message = 'Cost data is being fetched by another server; try again in a moment.';
      if (!optional) throw new AppError('UNAVAILABLE', message);
      // Not a failure of Cost Explorer: nothing is recorded, the next view looks again.
      return { unavailable: true, code: 'UNAVAILABLE', failedAt: deps.now(), retryAt: deps.now() };
    }
    await deps.sleep(pollMs);
  }
}
