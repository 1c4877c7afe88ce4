/**
 * Every action the audit history records, grouped by what it is about. The list is the source of
 * the `AuditAction` union (an event with any other name does not type-check), of the audit page's
 * action filter and of the API's `action` parameter; each name has a label in both languages
 * (lib/i18n/catalog/audit.ts). See docs/decisions/029-one-audit-path.md.
 *
 * These are audit actions, not authorization actions: 'request.read' in the permission table is
 * what someone may do, 'request.created' here is what happened.
 */
export const AUDIT_ACTIONS = [
  // Access requests and their decisions.
  'request.created',
  'request.approval',
  'request.rejection',
  'request.approved',
  'request.rejected',
  'request.cancelled',
  'request.expired',
  'request.break_glass',
  'break_glass.reviewed',
  // Grants: the access itself, from creation to removal.
  'grant.created',
  'grant.applied',
  'grant.failed',
  'grant.secret_created',
  'grant.role_ensured',
  'grant.shortened',
  'grant.expired',
  'grant.given_back',
  'grant.revoked',
  'grant.removed',
  // Who may do what in the portal: roles, teams and AWS identities.
  'user.created',
  'user.roles_changed',
  'team.member_added',
  'team.member_removed',
  'principal.updated',
  // A signed-in user proved again that it is them, to decide on prod (docs/decisions/046-step-up.md).
  'auth.step_up',
  // The catalog and the approval rules.
  'catalog.secret.created',
  'catalog.secret.updated',
  'catalog.role.created',
  'catalog.role.updated',
  'rule.updated',
  // Control-plane changes that wait for a second person (docs/decisions/032).
  'control_plane.change.proposed',
  'control_plane.change.approved',
  'control_plane.change.rejected',
  'control_plane.change.withdrawn',
  'control_plane.change.superseded',
  // Reconciling AWS with the grants.
  'reconcile.orphan_removed',
  'reconcile.drift_restored',
  'reconcile.missing_restored',
  'reconcile.principal_gone_removed',
  // The IAM audit and the baseline group.
  'iam.audit.scanned',
  'iam.baseline.proposed',
  'iam.baseline.superseded',
  'iam.baseline.approved',
  'iam.baseline.rejected',
  'iam.baseline.applied',
  'iam.baseline.apply_failed',
  // Alarms.
  'alarm.state.set',
  // Deployments and drift.
  'deployment.planned',
  'deployment.approved',
  'deployment.rejected',
  'deployment.executed',
  'deployment.expired',
  'deployment.plan_failed',
  'deployment.finished',
  'stack.drift_detection_started',
  'stack.drift_detected',
  // Releases of the stack's functions (docs/decisions/042-releases.md).
  'release.recorded',
  // Personal API tokens (docs/decisions/045-api-tokens.md): made, revoked, and used (first use in an hour).
  'api_token.created',
  'api_token.revoked',
  'api_token.used',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

const KNOWN: ReadonlySet<string> = new Set(AUDIT_ACTIONS);

/** True when value names an action the audit history records. */
export function isAuditAction(value: unknown): value is AuditAction {
  return typeof value === 'string' && KNOWN.has(value);
}
