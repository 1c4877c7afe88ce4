import 'server-only';
import { alarmsKey } from '@/lib/alarms/service';
import type { Actor } from '@/lib/identity/actor';
import { hasRole } from '@/lib/identity/actor';
import { alarmDeps } from '@/lib/server/alarms/wiring';
import { can } from '@/lib/server/auth/permissions';
import { countNavBadges, type NavCounts } from '@/lib/server/db/repositories/nav-counts';
import { singleton } from '@/lib/server/singleton';

export type { NavCounts };

/** How long a user's badges are reused: every page renders the header, one query per user per 15 s at most. */
const TTL_MS = 15_000;
const MAX_ENTRIES = 1_000;
const cache = singleton('nav-counts', () => new Map<string, { at: number; value: Promise<NavCounts> }>());

/**
 * The navigation's count badges for the actor: only the parts they may see (approvals they could
 * decide, plans they could approve, alarms in ALARM), one query, reused for 15 s per user and
 * standing. A failure shows no badges rather than failing the page.
 */
export function navCounts(actor: Actor, now = new Date()): Promise<NavCounts> {
  const leadTeamIds = actor.teams.filter((t) => t.isLead).map((t) => t.id);
  // The standing is part of the key: a changed role or lead never reuses the old count.
  const key = `${actor.id}|${[...actor.roles].sort().join(',')}|${leadTeamIds.sort().join(',')}`;
  const hit = cache.get(key);
  if (hit && now.getTime() - hit.at < TTL_MS) return hit.value;
  if (cache.size >= MAX_ENTRIES) {
    for (const [k, v] of cache) if (now.getTime() - v.at >= TTL_MS) cache.delete(k);
    if (cache.size >= MAX_ENTRIES) cache.clear();
  }
  // Inside the promise: building the alarm wiring can throw too, and must not fail the page.
  const value = (async () =>
    countNavBadges(
      {
        userId: actor.id,
        approvals: can(actor, 'request.decide') ? { security: hasRole(actor, 'SECURITY'), leadTeamIds } : null,
        plans: can(actor, 'deploy.approve'),
        alarmKeys: can(actor, 'alarms.read') ? alarmDeps().accounts.flatMap((a) => a.regions.map((r) => alarmsKey(r, a.key))) : null,
      },
      now,
    ))().catch((e: unknown) => {
    console.error('[nav] counting the badges failed', e);
    cache.delete(key);
    return { approvals: null, plans: null, alarms: null };
  });
  cache.set(key, { at: now.getTime(), value });
  return value;
}
