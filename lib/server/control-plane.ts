import 'server-only';
import { expectedAccountFor } from '@/lib/server/cloud/account';
import type { ControlPlaneContext } from '@/lib/server/db/repositories/catalog-write';
import { env } from '@/lib/server/env';

/** The control plane's configuration: floors from GATEHOUSE_RULE_FLOORS, accounts from the cloud mode (docs/decisions/032). */
export function controlPlaneContext(): ControlPlaneContext {
  return { floors: env().GATEHOUSE_RULE_FLOORS, accountFor: expectedAccountFor };
}
