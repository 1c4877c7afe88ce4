import 'server-only';
import { expectedAccountFor } from '@/lib/server/cloud/account';
import { createDecisionStore } from '@/lib/server/db/repositories/control-plane';
import type { AuditActor, RequestOrigin } from '@/lib/audit/model';
import type { ControlPlaneChange, FourEyesDecision } from '@/lib/control-plane/model';
import type { ControlPlaneContext, DecisionStore } from '@/lib/control-plane/ports';
import * as service from '@/lib/control-plane/service';
import { env } from '@/lib/server/env';

/** The control plane's configuration: floors from GATEHOUSE_RULE_FLOORS, accounts from the cloud mode (docs/decisions/032). */
export function controlPlaneContext(): ControlPlaneContext {
  return { floors: env().GATEHOUSE_RULE_FLOORS, accountFor: expectedAccountFor };
}

/** Approves (applying it in the same transaction), rejects or withdraws a proposal (lib/control-plane/service.ts decideChange). */
export function decideChange(
  input: { changeId: string; decision: FourEyesDecision; comment?: string | null },
  actor: AuditActor,
  origin: RequestOrigin | null,
  ctx: ControlPlaneContext = controlPlaneContext(),
  store: DecisionStore = createDecisionStore(),
): Promise<ControlPlaneChange> {
  return service.decideChange({ store, ctx }, input, actor, origin);
}
