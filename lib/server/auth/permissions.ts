import type { Actor, AppRole } from '@/lib/identity/actor';

/**
 * Every action an entry point can authorize, and who may do it. This table is the authorization
 * policy of the portal: pages, server actions and route handlers name one of these actions and go
 * through `authorize` (lib/server/auth/guards.ts). Object-level rules (whose request, which team)
 * live beside the action as a resource check.
 */
export const PERMISSIONS = {
  // Reachable without signing in: health checks of load balancers, the sign-in page, language.
  'health.read': 'public',
  'auth.signin': 'public',
  'locale.set': 'public',
  // Any signed-in user.
  'portal.view': ['ENGINEER', 'SECURITY', 'OPS', 'ADMIN'],
  'me.read': ['ENGINEER', 'SECURITY', 'OPS', 'ADMIN'],
  // Access requests. Who may see or decide a given request is an object-level rule
  // (lib/access/visibility.ts); these rows say who may use the feature at all.
  'request.create': ['ENGINEER', 'SECURITY', 'OPS', 'ADMIN'],
  'request.read': ['ENGINEER', 'SECURITY', 'OPS', 'ADMIN'],
  'request.list.all': ['SECURITY', 'ADMIN'],
  'request.decide': ['ENGINEER', 'SECURITY', 'OPS', 'ADMIN'],
  'request.cancel': ['ENGINEER', 'SECURITY', 'OPS', 'ADMIN'],
  'catalog.read': ['ENGINEER', 'SECURITY', 'OPS', 'ADMIN'],
  'catalog.write': ['SECURITY', 'ADMIN'],
  'rules.read': ['ENGINEER', 'SECURITY', 'OPS', 'ADMIN'],
  'rules.write': ['SECURITY', 'ADMIN'],
  // Approving a proposed control-plane change (rule, catalog ARN / environment / policy, SECURITY or
  // ADMIN role): also not its author, and roles re-read at decision time (docs/decisions/032).
  'control_plane.decide': ['SECURITY', 'ADMIN'],
  'break_glass.review': ['SECURITY', 'ADMIN'],
  // Grants: the holder gives access back (object-level: only their own); security revokes any.
  'grant.give_back': ['ENGINEER', 'SECURITY', 'OPS', 'ADMIN'],
  'grant.revoke': ['SECURITY', 'ADMIN'],
  // Moving a grant's end earlier: its holder, or security (object-level rule in the grant service).
  'grant.shorten': ['ENGINEER', 'SECURITY', 'OPS', 'ADMIN'],
  // The reconciler: compare Gatehouse's artifacts in AWS with live grants, remove or restore.
  'grant.reconcile.read': ['SECURITY', 'ADMIN'],
  'grant.reconcile.fix': ['SECURITY', 'ADMIN'],
  // Which AWS identity each user acts as.
  'admin.principals.update': ['ADMIN'],
  // The local sandbox account's contents (only in sandbox mode).
  'sandbox.view': ['ENGINEER', 'SECURITY', 'OPS', 'ADMIN'],
  // Acting as an outside IAM admin in the sandbox (to show the reconciler at work).
  'sandbox.tamper': ['SECURITY', 'ADMIN'],
  // Recording in the sandbox's simulated CloudTrail that a grant's holder used it (the reports' "never used").
  'sandbox.simulate_use': ['SECURITY', 'ADMIN'],
  // The approval history.
  'audit.read': ['SECURITY', 'ADMIN'],
  'audit.export': ['SECURITY', 'ADMIN'],
  'audit.verify': ['SECURITY', 'ADMIN'],
  // Reports for auditors (docs/decisions/051-reports.md): who approves how fast, break-glass use,
  // unused grants. They name people and their access, as the audit history does: the same readers.
  'reports.read': ['SECURITY', 'ADMIN'],
  // IAM audit findings (docs/decisions/016-iam-audit.md): read and export the last scan, run a new one.
  'iam.audit.read': ['SECURITY', 'ADMIN'],
  'iam.audit.scan': ['SECURITY', 'ADMIN'],
  // The secrets baseline (docs/decisions/017-secrets-baseline.md). Approving also needs to be
  // someone other than the plan's author (object-level rule in lib/iam-audit/baseline.ts).
  'iam.baseline.propose': ['SECURITY', 'ADMIN'],
  'iam.baseline.approve': ['SECURITY', 'ADMIN'],
  'iam.baseline.apply': ['SECURITY', 'ADMIN'],
  // Alarms and environment health (docs/decisions: alarms). Operational data, useful to everyone.
  'alarms.read': ['ENGINEER', 'SECURITY', 'OPS', 'ADMIN'],
  // Setting an alarm's state (CloudWatch SetAlarmState) fires its actions, e.g. a Slack message:
  // ops test the alert path with it (the page offers it in the sandbox; the API in both modes).
  'alarms.state.set': ['OPS', 'ADMIN'],
  // Costs: everyone may read billed cost and use the model; forcing a paid Cost Explorer refresh is ops'.
  'costs.read': ['ENGINEER', 'SECURITY', 'OPS', 'ADMIN'],
  'costs.refresh': ['OPS', 'ADMIN'],
  // Deployments of the serverless stack. Approving a prod plan also needs to be someone other than
  // its author (object-level rule in the deployments domain).
  'deploy.read': ['ENGINEER', 'SECURITY', 'OPS', 'ADMIN'],
  'deploy.plan': ['OPS', 'ADMIN'],
  'deploy.approve': ['OPS', 'SECURITY', 'ADMIN'],
  'deploy.execute': ['OPS', 'ADMIN'],
  'deploy.drift': ['OPS', 'ADMIN'],
  // User and team administration.
  'admin.users.read': ['ADMIN'],
  'admin.users.update': ['ADMIN'],
} as const satisfies Record<string, 'public' | readonly AppRole[]>;

export type Action = keyof typeof PERMISSIONS;

/** Actions anyone may perform, signed in or not. */
export type PublicAction = { [A in Action]: (typeof PERMISSIONS)[A] extends 'public' ? A : never }[Action];
/** Actions that need a signed-in user. */
export type SignedInAction = Exclude<Action, PublicAction>;
/** Who performs an action once it is authorized: a signed-in user, or nobody for a public action. */
export type ActorFor<A extends Action> = A extends PublicAction ? Actor | null : Actor;

/** True when the action needs no signed-in user. */
export function isPublicAction(action: Action): boolean {
  return PERMISSIONS[action] === 'public';
}

/** Whether the actor (null: anonymous) may perform the action. */
export function can(actor: Actor | null, action: Action): boolean {
  const rule = PERMISSIONS[action];
  if (rule === 'public') return true;
  if (!actor) return false;
  return actor.roles.some((role) => (rule as readonly AppRole[]).includes(role));
}
