'use client';

import { useEffect, useState, useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/**
 * False while the server renders and during hydration, true afterwards: times are formatted in the
 * browser's time zone, which the server does not know, so they appear only once hydrated (no
 * mismatch between the server's HTML and the first client render).
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
