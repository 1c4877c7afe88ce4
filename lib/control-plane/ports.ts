import type { Environment } from '@/lib/environments';
import type { AuditActor, RequestOrigin } from '@/lib/audit/model';
import type { AuditAction } from '@/lib/audit/actions';
import type { CatalogTx } from '@/lib/catalog/ports';
import type { ExpectedAccount } from '@/lib/control-plane/arn-rules';
import type { RuleFloors } from '@/lib/control-plane/floors';
import type { ControlPlaneChange, ControlPlaneChangeStatus } from '@/lib/control-plane/model';
import type { AppRole } from '@/lib/identity/actor';
import type { IdentityTx } from '@/lib/identity/ports';

/** What the control-plane rules need from configuration: the floors and each environment's account. */
export interface ControlPlaneContext {
  floors: RuleFloors;
  accountFor: (environment: Environment) => Promise<ExpectedAccount>;
}

/** How a decision moves a change out of PROPOSED. */
export interface ChangeDecisionPatch {
  status: Extract<ControlPlaneChangeStatus, 'APPLIED' | 'REJECTED' | 'WITHDRAWN'>;
  decidedById: string;
  decidedByName: string;
  decidedAt: Date;
  comment: string | null;
}

/** A decision's reads and writes inside the approving transaction, with the catalog and identity stores of that same transaction. */
export interface DecisionTx {
  /** Serializes proposals and decisions: a decision and a superseding proposal never interleave. */
  lockProposals(): Promise<void>;
  findChange(id: string): Promise<ControlPlaneChange | null>;
  /** A user's roles and whether they are active now (not as their session says). */
  findUserStanding(id: string): Promise<{ roles: AppRole[]; active: boolean } | null>;
  /** Moves the change out of PROPOSED if it still is; false when someone else decided it meanwhile. */
  decide(id: string, patch: ChangeDecisionPatch): Promise<boolean>;
  auditChange(action: AuditAction, actor: AuditActor, change: ControlPlaneChange, origin: RequestOrigin | null): Promise<void>;
  catalog: CatalogTx;
  identity: IdentityTx;
}

/** Where proposals are decided: one transaction per decision. */
export interface DecisionStore {
  findChange(id: string): Promise<ControlPlaneChange | null>;
  transaction<T>(work: (tx: DecisionTx) => Promise<T>): Promise<T>;
}
