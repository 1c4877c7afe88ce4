import type { Environment } from '@/lib/environments';
import { AppError } from '@/lib/errors';
import { hasRole, type Actor, type AppRole } from '@/lib/identity/actor';

/**
 * The control plane's two-person rule (docs/decisions/032-control-plane-two-person-rule.md): a
 * change that could weaken access control — an approval rule, a catalog entry's ARN, environment
 * or policy (creating one counts), a role assignment adding SECURITY or ADMIN — is proposed by one
 * security or admin user and takes effect only when another approves it. IAM baseline plans
 * (decision 017) follow the same rule through `assertSecondPerson`.
 */

export const CONTROL_PLANE_CHANGE_KINDS = ['APPROVAL_RULE', 'CATALOG_SECRET', 'CATALOG_ROLE', 'USER_ROLES'] as const;
export type ControlPlaneChangeKind = (typeof CONTROL_PLANE_CHANGE_KINDS)[number];

/** PROPOSED -> APPLIED (approved by another) | REJECTED (by another) | WITHDRAWN (by its author) | SUPERSEDED (a newer proposal for the same target). */
export const CONTROL_PLANE_CHANGE_STATUSES = ['PROPOSED', 'APPLIED', 'REJECTED', 'WITHDRAWN', 'SUPERSEDED'] as const;
export type ControlPlaneChangeStatus = (typeof CONTROL_PLANE_CHANGE_STATUSES)[number];

/** A proposed change as the pages and the audit history see it. */
export interface ControlPlaneChange {
  id: string;
  kind: ControlPlaneChangeKind;
  status: ControlPlaneChangeStatus;
  targetKey: string;
  targetLabel: string;
  environment: Environment | null;
  before: unknown;
  payload: unknown;
  authorId: string;
  authorName: string;
  createdAt: Date;
  decidedById: string | null;
  decidedByName: string | null;
  decidedAt: Date | null;
  comment: string | null;
}

/** The roles whose addition needs a second person: they can decide requests and the control plane itself. */
export const PRIVILEGED_ROLES: readonly AppRole[] = ['SECURITY', 'ADMIN'];

/** True when going from `before` to `after` adds SECURITY or ADMIN (other role changes apply at once). */
export function addsPrivilegedRole(before: readonly AppRole[], after: readonly AppRole[]): boolean {
  return PRIVILEGED_ROLES.some((r) => after.includes(r) && !before.includes(r));
}

/** Who may propose and decide control-plane changes. */
export function isSecurityOrAdmin(actor: Pick<Actor, 'roles'>): boolean {
  return hasRole(actor, 'SECURITY') || hasRole(actor, 'ADMIN');
}

export type FourEyesDecision = 'APPROVE' | 'REJECT' | 'WITHDRAW';

/**
 * Throws unless the actor may decide the proposal: security or admin (as they are now), the
 * proposal still PROPOSED, and — to approve or reject — not its author (four eyes); only the
 * author withdraws. `noun` names the thing in messages ("plan", "change"). When `rejectIsWithdraw`,
 * the author's REJECT is their withdrawal (baseline plans, decision 017).
 */
export function assertSecondPerson(
  proposal: { status: string; authorId: string },
  actor: Pick<Actor, 'id' | 'roles'>,
  decision: FourEyesDecision,
  { noun, what = noun, rejectIsWithdraw = false }: { noun: string; what?: string; rejectIsWithdraw?: boolean },
): void {
  if (!isSecurityOrAdmin(actor)) throw new AppError('FORBIDDEN', `Only the security team or an admin can decide a ${what}.`);
  if (proposal.status !== 'PROPOSED')
    throw new AppError('CONFLICT', `This ${noun} is ${proposal.status.toLowerCase().replace('_', ' ')}: it can no longer be decided.`);
  const own = proposal.authorId === actor.id;
  if (decision === 'APPROVE' && own)
    throw new AppError('FORBIDDEN', `You proposed this ${noun}: another member of the security team or an admin must approve it.`);
  if (decision === 'REJECT' && own && !rejectIsWithdraw) throw new AppError('FORBIDDEN', `You proposed this ${noun}: withdraw it instead of rejecting it.`);
  if (decision === 'WITHDRAW' && !own) throw new AppError('FORBIDDEN', `Only the author of this ${noun} can withdraw it; reject it instead.`);
}

/**
 * Throws unless the actor may decide this control-plane change: the four-eyes rule above, and for a
 * role assignment, not its subject (nobody approves their own elevation).
 */
export function assertMayDecideChange(
  change: Pick<ControlPlaneChange, 'status' | 'authorId' | 'kind' | 'targetKey'>,
  actor: Pick<Actor, 'id' | 'roles'>,
  decision: FourEyesDecision,
): void {
  assertSecondPerson(change, actor, decision, { noun: 'change', what: 'control-plane change' });
  if (decision === 'APPROVE' && change.kind === 'USER_ROLES' && change.targetKey === userTargetKey(actor.id)) {
    throw new AppError('FORBIDDEN', 'This change gives you a role: someone else must approve it.');
  }
}

/** The target keys: one open proposal per target (a newer one supersedes it). */
export const ruleTargetKey = (requestType: string, environment: Environment) => `rule:${requestType}/${environment}`;
export const secretTargetKey = (id: string | null, name: string) => (id ? `secret:${id}` : `secret:new:${name}`);
export const roleTargetKey = (id: string | null, label: string) => (id ? `role:${id}` : `role:new:${label}`);
export const userTargetKey = (userId: string) => `user:${userId}`;
