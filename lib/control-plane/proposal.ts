import type { Environment } from '@/lib/environments';
import type { AuditActor, RequestOrigin } from '@/lib/audit/model';
import type { ControlPlaneChange, ControlPlaneChangeKind } from '@/lib/control-plane/model';

/** What a caller proposes; the author and the status are added by the store. */
export interface NewChange {
  kind: ControlPlaneChangeKind;
  targetKey: string;
  targetLabel: string;
  environment: Environment | null;
  /** The target now (null: it does not exist yet); approval refuses the change if the target differs then. */
  before: unknown;
  /** The validated input the change applies. */
  payload: unknown;
}

/** The author of a proposal: a signed-in user, never the system. */
export type ProposalAuthor = AuditActor & { id: string };

/** Records proposals inside the caller's transaction (docs/decisions/032). */
export interface ProposalLog {
  /** Takes the proposal lock, supersedes the target's open proposal and records this one, each audited. */
  propose(change: NewChange, author: ProposalAuthor, origin: RequestOrigin | null): Promise<ControlPlaneChange>;
}
