import 'server-only';
import type { AccessDeps } from '@/lib/access/service';
import { createAccessStore } from '@/lib/server/db/repositories/access';
import { env } from '@/lib/server/env';

/** The access use cases' ports, wired to the portal's database, the wall clock and the public URL. */
export function accessDeps(): AccessDeps {
  return { store: createAccessStore(), now: () => new Date(), portalUrl: env().GATEHOUSE_PUBLIC_URL, floors: env().GATEHOUSE_RULE_FLOORS };
}
