import type { Actor, ActorToken, AppRole, TokenScope } from '@/lib/identity/actor';

/**
 * Every action an entry point can authorize, and who may do it. This table is the authorization
 * policy of the portal: pages, server actions and route handlers name one of these actions and go
 * through `authorize` (lib/server/auth/guards.ts). Object-level rules (whose request, which team)
 * live beside the action as a resource check.
 */
export const PERMISSIONS = {
  // Reachable without signing in: health checks of load balancers, the sign-in page, language, and
  // the interface's own strings (the sign-in page translates too; no user data in them).
  'health.read': 'public',
  'auth.signin': 'public',
  'locale.set': 'public',
  'messages.read': 'public',
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
  // Personal API tokens (docs/decisions/045-api-tokens.md): each user makes and revokes their own;
  // security and admins may revoke anyone's (a leaked token is an incident), never see or make one.
  'tokens.manage': ['ENGINEER', 'SECURITY', 'OPS', 'ADMIN'],
  'tokens.revoke.any': ['SECURITY', 'ADMIN'],
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

/**
 * What a personal API token must carry among its scopes to perform each action, on top of what its
 * user's roles allow (docs/decisions/045-api-tokens.md). 'any': every token (who am I). null: never
 * with a token — changes to the portal's configuration, other people's access, deployments, and
 * token management itself need a person in the portal. Every action must be listed: a new one is
 * a type error here until someone decides.
 */
export const TOKEN_SCOPE_OF = {
  'health.read': null,
  'auth.signin': null,
  'locale.set': null,
  'messages.read': null,
  'portal.view': null,
  'me.read': 'any',
  // Reading: one's requests and grants, what can be asked for, and what the roles already let them read.
  'request.read': 'read',
  'request.list.all': 'read',
  'catalog.read': 'read',
  'rules.read': 'read',
  'grant.reconcile.read': 'read',
  'sandbox.view': 'read',
  'audit.read': 'read',
  'audit.export': 'read',
  'iam.audit.read': 'read',
  'alarms.read': 'read',
  'costs.read': 'read',
  'deploy.read': 'read',
  // Reports for auditors: figures and CSVs, read-only.
  'reports.read': 'read',
  // Asking for access and managing one's own: create, cancel, give back, shorten.
  'request.create': 'request',
  'request.cancel': 'request',
  'grant.give_back': 'request',
  'grant.shorten': 'request',
  // Approving or rejecting others' requests (prod decisions are refused further: they need step-up).
  'request.decide': 'decide',
  // Verifying the audit chain writes a checkpoint: from the portal.
  'audit.verify': null,
  'catalog.write': null,
  'rules.write': null,
  'control_plane.decide': null,
  'break_glass.review': null,
  'grant.revoke': null,
  'grant.reconcile.fix': null,
  'admin.principals.update': null,
  'sandbox.tamper': null,
  'sandbox.simulate_use': null,
  'iam.audit.scan': null,
  'iam.baseline.propose': null,
  'iam.baseline.approve': null,
  'iam.baseline.apply': null,
  'alarms.state.set': null,
  'costs.refresh': null,
  'deploy.plan': null,
  'deploy.approve': null,
  'deploy.execute': null,
  'deploy.drift': null,
  'admin.users.read': null,
  'admin.users.update': null,
  'tokens.manage': null,
  'tokens.revoke.any': null,
} as const satisfies Record<Action, TokenScope | 'any' | null>;

/** True when a token's scopes allow the action (its user's roles are checked separately). */
export function tokenAllows(token: ActorToken, action: Action): boolean {
  const needed: TokenScope | 'any' | null = TOKEN_SCOPE_OF[action];
  return needed === 'any' || (needed !== null && token.scopes.includes(needed));
}

/** Why a token may not perform the action (its scopes, or tokens never may), or null when its scopes allow it. */
export function tokenRefusal(token: ActorToken, action: Action): string | null {
  if (tokenAllows(token, action)) return null;
  const needed: TokenScope | 'any' | null = TOKEN_SCOPE_OF[action];
  return needed === null
    ? `API tokens cannot be used for ${action}; use the portal.`
    : `This API token's scopes (${token.scopes.join(', ')}) do not allow ${action}: it needs the ${needed} scope.`;
}

/** Whether the actor (null: anonymous) may perform the action; a token caller also needs the scope. */
export function can(actor: Actor | null, action: Action): boolean {
  const rule = PERMISSIONS[action];
  if (rule === 'public') return true;
  if (!actor) return false;
  if (actor.token && !tokenAllows(actor.token, action)) return false;
  return actor.roles.some((role) => (rule as readonly AppRole[]).includes(role));
}
