'use client';

import { useEffect, useState, useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/**
 * False while the server renders and during hydration, true afterwards: for what only the browser
 * can draw (charts need its size) or count (ages need its clock). Times themselves need no wait: the
 * server knows the reader's zone (docs/decisions/048-time-zone-policy.md).
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}

/**
 * The current time, re-read every `intervalMs` (for "N s ago"); 0 until hydrated, so that the
 * server's HTML and the first render in the browser agree (callers show no age for 0).
 */
export function useNow(intervalMs = 1_000): number {
  const hydrated = useHydrated();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return hydrated ? now : 0;
}

/** Whole seconds from an ISO time to `now` (never negative: clocks of server and browser differ a little); null without a time or a clock. */
export function secondsSince(iso: string | null, now: number): number | null {
  if (!iso || !now) return null;
  return Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
}
