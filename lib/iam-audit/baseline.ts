import { AppError } from '@/lib/errors';
import type { PolicyDocument } from '@/lib/grants/policy';
import { assertSecondPerson, isSecurityOrAdmin } from '@/lib/control-plane/model';
import type { Actor, AppRole } from '@/lib/identity/actor';

/**
 * The secrets baseline (docs/decisions/017-secrets-baseline.md): everyone outside the security and
 * DevOps teams may list secrets and read their metadata, never their values. One IAM group holds
 * them; one managed policy attached to it says what they may do. Pure rules: the document, who
 * belongs, the add / remove plan, and who may decide it.
 */

export const BASELINE_PATH = '/gatehouse/';
export const BASELINE_GROUP_NAME = 'gatehouse-baseline-secrets';
export const BASELINE_POLICY_NAME = 'gatehouse-baseline-secrets-metadata';

/** The baseline's policy for an account. */
export function generateBaselinePolicy(partition: string, accountId: string): PolicyDocument {
  if (!/^aws[a-z-]*$/.test(partition)) throw new Error(`not an AWS partition: ${partition}`);
  if (!/^\d{12}$/.test(accountId)) throw new Error(`not an AWS account id: ${accountId}`);
  return {
    Version: '2012-10-17',
    Statement: [
      // ListSecrets supports no resource-level permissions: AWS accepts only "*" for it (the
      // Service Authorization Reference lists no resource type), so nothing narrower can be written.
      { Sid: 'ListSecretNames', Effect: 'Allow', Action: ['secretsmanager:ListSecrets'], Resource: ['*'] },
      // Metadata of every secret of this account; GetSecretValue is deliberately absent.
      {
        Sid: 'DescribeSecretMetadata',
        Effect: 'Allow',
        Action: ['secretsmanager:DescribeSecret'],
        Resource: [`arn:${partition}:secretsmanager:*:${accountId}:secret:*`],
      },
    ],
  };
}

/** A portal user and the AWS identity they act as (aws_principals). */
export interface PortalPrincipal {
  userId: string;
  name: string;
  roles: AppRole[];
  active: boolean;
  principal: { kind: 'IAM_USER' | 'IAM_ROLE'; name: string; arn: string } | null;
}

/** One IAM user in the plan, and the portal user it belongs to (null: not mapped to anyone). */
export interface BaselineMember {
  iamUser: string;
  userId: string | null;
  name: string | null;
}

export type SkipReason = 'NO_PRINCIPAL' | 'ROLE_PRINCIPAL';

/** Who the baseline group should hold, compared with who it holds. */
export interface BaselinePlan {
  add: BaselineMember[];
  remove: BaselineMember[];
  keep: BaselineMember[];
  /** Users who belong in the baseline but cannot be put in an IAM group. */
  skipped: { userId: string; name: string; reason: SkipReason }[];
  /** Whether the group existed when the plan was made (applying creates it). */
  groupExists: boolean;
}

/** Everyone outside security / DevOps: active users whose portal roles include neither SECURITY nor OPS. */
export function belongsInBaseline(p: Pick<PortalPrincipal, 'roles' | 'active'>): boolean {
  return p.active && !p.roles.includes('SECURITY') && !p.roles.includes('OPS');
}

const byIamUser = (a: BaselineMember, b: BaselineMember) => a.iamUser.localeCompare(b.iamUser);

/**
 * The plan that makes the group hold exactly the baseline's users. `members` is the group now
 * (null: the group does not exist yet). IAM user names are case-insensitive. Members the portal
 * does not know are removed: the group is Gatehouse's, under /gatehouse/.
 */
export function planBaseline(principals: readonly PortalPrincipal[], members: readonly string[] | null): BaselinePlan {
  const current = new Map((members ?? []).map((m) => [m.toLowerCase(), m]));
  const byIam = new Map<string, PortalPrincipal>();
  const wanted = new Map<string, BaselineMember>();
  const skipped: BaselinePlan['skipped'] = [];
  for (const p of principals) {
    if (p.principal?.kind === 'IAM_USER') byIam.set(p.principal.name.toLowerCase(), p);
    if (!belongsInBaseline(p)) continue;
    if (!p.principal) skipped.push({ userId: p.userId, name: p.name, reason: 'NO_PRINCIPAL' });
    else if (p.principal.kind === 'IAM_ROLE') skipped.push({ userId: p.userId, name: p.name, reason: 'ROLE_PRINCIPAL' });
    else wanted.set(p.principal.name.toLowerCase(), { iamUser: p.principal.name, userId: p.userId, name: p.name });
  }
  const add: BaselineMember[] = [];
  const keep: BaselineMember[] = [];
  for (const [key, m] of wanted) {
    const existing = current.get(key);
    if (existing) keep.push({ ...m, iamUser: existing });
    else add.push(m);
  }
  const remove: BaselineMember[] = [];
  for (const [key, iamUser] of current) {
    if (wanted.has(key)) continue;
    const p = byIam.get(key);
    remove.push({ iamUser, userId: p?.userId ?? null, name: p?.name ?? null });
  }
  skipped.sort((a, b) => a.name.localeCompare(b.name));
  return { add: add.sort(byIamUser), remove: remove.sort(byIamUser), keep: keep.sort(byIamUser), skipped, groupExists: members !== null };
}

/** True when applying the plan would change the group's members. */
export function planChangesMembers(plan: Pick<BaselinePlan, 'add' | 'remove'>): boolean {
  return plan.add.length > 0 || plan.remove.length > 0;
}

/** PROPOSED -> APPROVED | REJECTED | SUPERSEDED; APPROVED -> APPLIED | APPLY_FAILED | SUPERSEDED; APPLY_FAILED -> APPLIED | APPLY_FAILED | SUPERSEDED. */
export const BASELINE_STATUSES = ['PROPOSED', 'APPROVED', 'APPLIED', 'APPLY_FAILED', 'REJECTED', 'SUPERSEDED'] as const;
export type BaselineStatus = (typeof BASELINE_STATUSES)[number];

/** Statuses from which applying (or retrying) is allowed. */
export const APPLICABLE_BASELINE_STATUSES: readonly BaselineStatus[] = ['APPROVED', 'APPLY_FAILED'];

/**
 * Throws unless the actor may approve or reject the plan: it must be PROPOSED, the actor in
 * security or an admin, and — to approve — not its author (four eyes). The author may withdraw
 * (reject) their own proposal.
 */
export function assertMayDecide(plan: { status: BaselineStatus; authorId: string }, actor: Pick<Actor, 'id' | 'roles'>, decision: 'APPROVE' | 'REJECT'): void {
  // The control plane's one four-eyes rule (docs/decisions/032): the author's REJECT is a withdrawal.
  assertSecondPerson(plan, actor, decision, { noun: 'plan', what: 'baseline plan', rejectIsWithdraw: true });
}

/** Throws unless the plan can be applied now (approved, or failed before and being retried). */
export function assertMayApply(plan: { status: BaselineStatus }, actor: Pick<Actor, 'roles'>): void {
  if (!isSecurityOrAdmin(actor)) throw new AppError('FORBIDDEN', 'Only the security team or an admin can apply a baseline plan.');
  if (!APPLICABLE_BASELINE_STATUSES.includes(plan.status)) {
    throw new AppError(
      'CONFLICT',
      plan.status === 'APPLIED' ? 'This plan has already been applied.' : `This plan is ${plan.status.toLowerCase()}: only an approved plan can be applied.`,
    );
  }
}
