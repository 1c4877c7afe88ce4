import 'server-only';
import type { AccessDeps } from '@/lib/access/service';
import { createAccessStore } from '@/lib/server/db/repositories/access';

/** The access use cases' ports, wired to the portal's database and the wall clock. */
export function accessDeps(): AccessDeps {
  return { store: createAccessStore(), now: () => new Date() };
}
