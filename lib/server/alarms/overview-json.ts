import 'server-only';
import type { OverviewQuery } from '@/lib/alarms/schemas';
import { getOverview } from '@/lib/alarms/service';
import { alarmDeps } from '@/lib/server/alarms/wiring';

// Many browsers poll the same overview: within one second a process answers them all with one
// computed and serialized body (500 alarms are ~200 kB of JSON; building it per request was the
// endpoint's main cost). The data itself comes from the shared cache (docs/decisions/012-alarm-cache.md).
const TTL_MS = 1_000;
const MAX_KEYS = 200;
const bodies = new Map<string, { at: number; body: Promise<string> }>();

/** The overview as a JSON string (with serverTime), shared by concurrent requests for the same query for up to a second. */
export function overviewJson(query: OverviewQuery): Promise<string> {
  const key = JSON.stringify(query);
  const now = Date.now();
  const hit = bodies.get(key);
  if (hit && now - hit.at < TTL_MS) return hit.body;
  if (bodies.size >= MAX_KEYS) bodies.clear();
  const body = getOverview(alarmDeps(), query).then((overview) => JSON.stringify({ ...overview, serverTime: new Date().toISOString() }));
  const entry = { at: now, body };
  bodies.set(key, entry);
  body.catch(() => {
    if (bodies.get(key) === entry) bodies.delete(key);
  });
  return body;
}
