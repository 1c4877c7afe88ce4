import 'server-only';
import { expectedAccountFor } from '@/lib/server/cloud/account';
import type { ControlPlaneContext } from '@/lib/control-plane/ports';
import { env } from '@/lib/server/env';

/** The control plane's configuration: floors from GATEHOUSE_RULE_FLOORS, accounts from the cloud mode (docs/decisions/032). */
export function controlPlaneContext(): ControlPlaneContext {
  return { floors: env().GATEHOUSE_RULE_FLOORS, accountFor: expectedAccountFor };
}

// Deciding a proposal still lives in its repository (it applies the change in the approving transaction).
export { decideChange } from '@/lib/server/db/repositories/control-plane';
