import 'server-only';
import type { RequestRecord } from '@/lib/access/ports';
import { breakGlassMaxMinutes } from '@/lib/access/rules';
import type { AccessDeps } from '@/lib/access/service';
import { expectedAccountFor } from '@/lib/server/cloud/account';
import { createAccessStore } from '@/lib/server/db/repositories/access';
import { env } from '@/lib/server/env';
import { applyGrantNow } from '@/lib/server/grants';
import { sendNotificationsNow } from '@/lib/server/notifications/send-now';

/** The access use cases' ports, wired to the portal's database, the wall clock and the configuration. */
export function accessDeps(): AccessDeps {
  const e = env();
  return {
    store: createAccessStore(),
    now: () => new Date(),
    portalUrl: e.GATEHOUSE_PUBLIC_URL,
    breakGlassPerDay: e.GATEHOUSE_BREAK_GLASS_PER_DAY,
    floors: e.GATEHOUSE_RULE_FLOORS,
    accountFor: expectedAccountFor,
    stepUpMaxAgeMinutes: e.STEP_UP_MAX_AGE_MINUTES,
  };
}

/**
 * After a new request commits (form or API): an approved one's grant is applied now, and a
 * break-glass use is sent to the security channel now, not at the jobs' next ticks (decision 028).
 */
export function afterRequestCreated(request: Pick<RequestRecord, 'id' | 'status' | 'breakGlass'>): void {
  if (request.status === 'APPROVED') applyGrantNow(request.id);
  if (request.breakGlass) sendNotificationsNow();
}

/** The break-glass limits the service enforces with this configuration, for the pages that state them. */
export function breakGlassLimits(): { maxMinutes: number; perDay: number } {
  const e = env();
  return { maxMinutes: breakGlassMaxMinutes(e.GATEHOUSE_RULE_FLOORS.breakGlassMaxMinutes), perDay: e.GATEHOUSE_BREAK_GLASS_PER_DAY };
}
