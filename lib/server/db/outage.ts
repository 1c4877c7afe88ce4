// The process's view of "the database is down" (docs/decisions/022-scale-out-and-faults.md).
//
// A failure that looks like an outage (a query that could not reach the server, a pooled connection
// the server ended) makes the process probe the database at once. If the probe fails too, the
// outage is confirmed: proxy.ts then answers every page and API call with 503 and Retry-After
// instead of letting it fail half-way through a render (a page cannot set its own status, so it
// would be a 500), and the prober keeps trying every second until the database answers again.
//
// proxy.ts reads this, and the state is one per process (singleton) because the proxy and the app
// are separate bundles in the same process.

import { singleton } from '@/lib/server/singleton';

export interface OutageState {
  /** The round trip that tells whether the database answers (registered by the PostgreSQL pool). */
  probe: (() => Promise<void>) | null;
  /** When the outage was confirmed; null while the database answers. */
  since: number | null;
  /** A probe is running or scheduled. */
  probing: boolean;
}

export interface OutageOptions {
  /** A probe that takes longer than this counts as failed. */
  probeTimeoutMs?: number;
  /** Pause between probes while the outage lasts. */
  intervalMs?: number;
  log?: (line: string) => void;
  now?: () => number;
}

const fresh = (): OutageState => ({ probe: null, since: null, probing: false });
// A box, so that a reset replaces the state while a prober still running keeps the one it started with.
const holder = singleton('db.outage', (): { state?: OutageState } => ({}));

function state(): OutageState {
  holder.state ??= fresh();
  return holder.state;
}

/**
 * Sets the round trip used to probe the database: one query that needs a working connection. The
 * embedded database registers none (it cannot go away on its own), so nothing is ever suspected.
 */
export function registerDatabaseProbe(probe: (() => Promise<void>) | null): void {
  state().probe = probe;
}

/** Since when the database has been confirmed down, or null. */
export function databaseOutageSince(): Date | null {
  const since = state().since;
  return since === null ? null : new Date(since);
}

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Something failed as if the database were down: probe it now (once per process at a time), and
 * while probes fail, hold the outage and probe again every `intervalMs`. Resolves when the probing
 * ends (the database answered); callers normally do not wait for it.
 */
export function suspectDatabaseOutage({
  probeTimeoutMs = 2_000,
  intervalMs = 1_000,
  log = (l) => console.warn(l),
  now = Date.now,
}: OutageOptions = {}): Promise<void> {
  const s = state();
  if (!s.probe || s.probing) return Promise.resolve();
  s.probing = true;
  const say = (line: string) => {
    try {
      log(line);
    } catch {
      // a failing log must not stop the probing
    }
  };
  return (async () => {
    // The probe is read on every pass: a database reopened meanwhile is probed, not the closed one.
    for (let probe = s.probe; probe; probe = s.probe) {
      try {
        await withTimeout(probe(), probeTimeoutMs);
        if (s.since !== null) say(`[db] the database answers again after ${((now() - s.since) / 1000).toFixed(1)} s; serving requests`);
        return;
      } catch (e) {
        if (s.since === null) {
          s.since = now();
          say(`[db] the database is not answering (${e instanceof Error ? e.message : String(e)}); requests get 503 until it does`);
        }
      }
      await new Promise<void>((resolve) => setTimeout(resolve, intervalMs).unref?.());
    }
  })().finally(() => {
    // Whatever ended the probing (an answer, no probe any more), nothing holds the outage without a
    // prober: requests go through again, and their failures would start a new one.
    s.since = null;
    s.probing = false;
  });
}

/** Forgets any outage (tests). */
export function resetDatabaseOutage(): void {
  holder.state = fresh();
}
