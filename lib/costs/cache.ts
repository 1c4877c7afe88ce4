import { AppError } from '@/lib/errors';
import type { CostCacheStore, PaidRequest, PaidRequestHook } from '@/lib/costs/ports';

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

/** A forced refresh ("refresh now") is still refused within this time of the last fetch. */
export const FORCED_REFRESH_MIN_MS = 10 * 60_000;
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

/**
 * The answer to one query: from the store when fresh, otherwise fetched once (by whichever server
 * takes the lease) while the others wait for it, or get the previous answer marked stale.
 * `force` ignores the refresh interval but not the 10-minute floor.
 */
export function cachedQuery<T>(deps: CostCacheDeps, queryKey: string, fetch: (onRequest: PaidRequestHook) => Promise<T>, { force = false } = {}): Promise<Cached<T>> {
  const flightKey = `${queryKey}|${utcDay(deps.now())}|${force ? 'force' : ''}`;
  const running = deps.inflight.get(flightKey) as Promise<Cached<T>> | undefined;
  if (running) return running.then((r) => ({ ...r, refreshed: false }));
  const flight = runQuery(deps, queryKey, fetch, force).finally(() => deps.inflight.delete(flightKey));
  deps.inflight.set(flightKey, flight);
  return flight;
}

async function runQuery<T>(deps: CostCacheDeps, queryKey: string, fetch: (onRequest: PaidRequestHook) => Promise<T>, force: boolean): Promise<Cached<T>> {
  const leaseMs = deps.leaseMs ?? LEASE_MS;
  const pollMs = deps.pollMs ?? POLL_MS;
  // A waiter outlives a lease, so that a crashed holder's lease expires and a waiter takes over.
  const deadline = deps.now().getTime() + leaseMs + 5_000;
  for (;;) {
    const now = deps.now();
    const row = await deps.store.latest<T>(queryKey);
    if (row && isFresh(row, now, deps.refreshMs, force)) return { value: row.payload, fetchedAt: row.fetchedAt, stale: false, refreshed: false };
    if (await deps.store.acquireLease(queryKey, deps.holder, now, new Date(now.getTime() + leaseMs))) {
      try {
        // Another server may have stored a fresh answer between our read and our lease.
        const again = await deps.store.latest<T>(queryKey);
        if (again && isFresh(again, deps.now(), deps.refreshMs, force)) return { value: again.payload, fetchedAt: again.fetchedAt, stale: false, refreshed: false };
        const requests: PaidRequest[] = [];
        let value: T;
        try {
          value = await fetch((operation) => requests.push({ at: deps.now(), operation, queryKey, mode: deps.mode }));
        } catch (e) {
          // Pages already answered were billed: the ledger keeps them even when the fetch fails.
          if (requests.length) await deps.store.recordRequests(requests);
          throw e;
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
    if (deps.now().getTime() >= deadline) throw new AppError('UNAVAILABLE', 'Cost data is being fetched by another server; try again in a moment.');
    await deps.sleep(pollMs);
  }
}
