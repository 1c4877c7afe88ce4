import { isAppError } from '@/lib/errors';
import type { CacheMeta, CacheRow, CacheStore } from '@/lib/alarms/ports';

/** Time, injected so that tests control it. */
export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface CachePolicy {
  /** At most one call to the source per key per this interval, across all replicas. */
  intervalMs: number;
  /** How long a claimer may take before another caller may retry (it never shortens the interval). */
  leaseMs?: number;
  /** How long a caller without any stored value waits for another replica's first fetch. */
  waitMs?: number;
  /** Upper bound of the backoff after failures. */
  maxBackoffMs?: number;
}

export interface CachedValue<T> {
  /** The last good value (null when none was ever fetched). */
  value: T | null;
  /** When that value was fetched. */
  fetchedAt: Date | null;
  /** The last fetch failed, or the value is older than two intervals. */
  stale: boolean;
  /** Why the last fetch failed, and since when fetches have been failing. */
  error: { code: string; message: string; since: Date } | null;
}

const DEFAULT_LEASE_MS = 20_000;
const DEFAULT_WAIT_MS = 10_000;
const DEFAULT_MAX_BACKOFF_MS = 5 * 60_000;
/** A process re-checks the shared row at least this often, so an edit by another replica shows quickly. */
const MEMORY_MS = 5_000;
const MIN_MEMORY_MS = 250;
const POLL_MS = 200;

/** The delay before the next attempt after `failures` failures in a row: the interval doubled each time, capped. */
export function backoffMs(failures: number, intervalMs: number, maxMs = DEFAULT_MAX_BACKOFF_MS): number {
  return Math.min(intervalMs * 2 ** Math.max(1, failures), Math.max(maxMs, intervalMs));
}

function errorOf(e: unknown): { code: string; message: string } {
  if (isAppError(e)) return { code: e.code, message: e.message };
  return { code: 'UNAVAILABLE', message: e instanceof Error ? e.message : String(e) };
}

function hasContent(row: CacheRow<unknown> | null): row is CacheRow<unknown> {
  return !!row && (row.value !== null || row.error !== null);
}

/**
 * A cache shared by every replica through `store`, with single-flight in front of the source: per
 * key, at most one call per interval however many callers ask (docs/decisions/012-alarm-cache.md).
 * A process keeps what it read in memory until the row may have changed, and asks the store only
 * once at a time per key. A failure keeps the last good value, marks it stale, and backs off.
 */
export function createSharedCache({ store, clock = systemClock, owner }: { store: CacheStore; clock?: Clock; owner: string }) {
  const memory = new Map<string, { row: CacheRow<unknown>; checkUntil: number }>();
  const inflight = new Map<string, Promise<CachedValue<unknown>>>();

  function remember(row: CacheRow<unknown>, now: number) {
    // While another caller is fetching, look again soon: its value is seconds away.
    const fetching = row.leaseUntil !== null && row.leaseUntil.getTime() > now;
    const until = fetching ? now : Math.min(now + MEMORY_MS, row.nextFetchAt.getTime());
    memory.set(row.key, { row, checkUntil: Math.max(until, now + MIN_MEMORY_MS) });
  }

  function view<T>(row: CacheRow<unknown>, policy: CachePolicy, now: number): CachedValue<T> {
    const old = row.fetchedAt === null || now - row.fetchedAt.getTime() > 2 * policy.intervalMs;
    return {
      value: row.value as T | null,
      fetchedAt: row.fetchedAt,
      stale: row.error !== null || old,
      error: row.error ? { ...row.error, since: row.failingSince ?? new Date(now) } : null,
    };
  }

  /** The stored row, reusing this process's copy of the value when the version has not moved. */
  async function current(key: string, meta: CacheMeta | null): Promise<CacheRow<unknown> | null> {
    const known = memory.get(key)?.row;
    if (meta && known && known.version === meta.version) return { ...known, ...meta, value: known.value };
    return store.read<unknown>(key);
  }

  async function fetchAndStore<T>(key: string, policy: CachePolicy, fetch: () => Promise<T>, meta: CacheMeta | null, started: Date): Promise<CachedValue<T>> {
    try {
      const value = await fetch();
      const version = await store.saveValue(key, owner, value, started);
      const now = clock.now().getTime();
      if (version === null) {
        // Our lease ran out and another caller took over: hand our value to this caller only.
        return { value, fetchedAt: started, stale: false, error: null };
      }
      const row: CacheRow<unknown> = {
        key,
        version,
        value,
        fetchedAt: started,
        nextFetchAt: new Date(started.getTime() + policy.intervalMs),
        leaseUntil: null,
        failures: 0,
        error: null,
        failingSince: null,
      };
      remember(row, now);
      return view<T>(row, policy, now);
    } catch (e) {
      const failures = (meta?.failures ?? 0) + 1;
      const at = clock.now();
      const next = new Date(Math.max(started.getTime() + policy.intervalMs, at.getTime() + backoffMs(failures, policy.intervalMs, policy.maxBackoffMs)));
      await store.saveFailure(key, owner, errorOf(e), at, next);
      const row = await store.read<unknown>(key);
      if (!row) throw e;
      remember(row, at.getTime());
      return view<T>(row, policy, at.getTime());
    }
  }

  async function refresh<T>(key: string, policy: CachePolicy, fetch: () => Promise<T>): Promise<CachedValue<T>> {
    const deadline = clock.now().getTime() + (policy.waitMs ?? DEFAULT_WAIT_MS);
    for (;;) {
      const nowDate = clock.now();
      const now = nowDate.getTime();
      const meta = await store.peek(key);
      const due = !meta || (now >= meta.nextFetchAt.getTime() && !(meta.leaseUntil && meta.leaseUntil.getTime() > now));
      if (due && (await store.claim(key, owner, nowDate, new Date(now + policy.intervalMs), new Date(now + (policy.leaseMs ?? DEFAULT_LEASE_MS))))) {
        return fetchAndStore(key, policy, fetch, meta, nowDate);
      }
      // Another caller fetches (or fetched) this interval: use what is stored.
      const row = await current(key, meta);
      if (hasContent(row)) {
        remember(row, now);
        return view<T>(row, policy, now);
      }
      if (now >= deadline) {
        return {
          value: null,
          fetchedAt: null,
          stale: true,
          error: { code: 'UNAVAILABLE', message: 'The data is still being fetched; try again in a moment.', since: nowDate },
        };
      }
      await clock.sleep(POLL_MS);
    }
  }

  return {
    /** The value of `key`: from this process's memory, the shared store, or one call to `fetch`. */
    get<T>(key: string, policy: CachePolicy, fetch: () => Promise<T>): Promise<CachedValue<T>> {
      const now = clock.now().getTime();
      const known = memory.get(key);
      if (known && now < known.checkUntil) return Promise.resolve(view<T>(known.row, policy, now));
      let pending = inflight.get(key) as Promise<CachedValue<T>> | undefined;
      if (!pending) {
        pending = refresh(key, policy, fetch).finally(() => inflight.delete(key));
        inflight.set(key, pending as Promise<CachedValue<unknown>>);
      }
      return pending;
    },

    /** Edits the stored value (optimistically, retried on a concurrent change); false when there is none. */
    async update<T>(key: string, edit: (value: T) => T): Promise<boolean> {
      for (let attempt = 0; attempt < 3; attempt++) {
        const row = await store.read<T>(key);
        if (!row || row.value === null) return false;
        const value = edit(row.value);
        const version = await store.replaceValue(key, row.version, value);
        if (version !== null) {
          remember({ ...row, value, version } as CacheRow<unknown>, clock.now().getTime());
          return true;
        }
      }
      return false;
    },
  };
}

export type SharedCache = ReturnType<typeof createSharedCache>;
