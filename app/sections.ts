import type { MessageKey } from '@/lib/i18n/messages';
import type { Action } from '@/lib/server/auth/permissions';

/**
 * The portal's sections: the navigation shows those whose action the user may perform, in this
 * order (what does not fit goes into "More"); `badge` names the count it carries (lib/server/nav-counts.ts).
 */
export const SECTIONS: { href: string; label: MessageKey; action: Action; sandboxOnly?: boolean; badge?: 'approvals' | 'plans' | 'alarms' }[] = [
  { href: '/', label: 'nav.home', action: 'portal.view' },
  { href: '/requests', label: 'nav.requests', action: 'request.read' },
  { href: '/approvals', label: 'nav.approvals', action: 'request.decide', badge: 'approvals' },
  { href: '/catalog', label: 'nav.catalog', action: 'catalog.read' },
  { href: '/costs', label: 'nav.costs', action: 'costs.read' },
  { href: '/break-glass', label: 'nav.breakGlass', action: 'break_glass.review' },
  { href: '/audit', label: 'nav.audit', action: 'audit.read' },
  { href: '/reports', label: 'nav.reports', action: 'reports.read' },
  { href: '/alarms', label: 'nav.alarms', action: 'alarms.read', badge: 'alarms' },
  { href: '/reconcile', label: 'nav.reconcile', action: 'grant.reconcile.read' },
  { href: '/iam-audit', label: 'nav.iamAudit', action: 'iam.audit.read' },
  { href: '/deployments', label: 'nav.deployments', action: 'deploy.read', badge: 'plans' },
  { href: '/admin', label: 'nav.admin', action: 'admin.users.read' },
  { href: '/sandbox', label: 'nav.sandbox', action: 'sandbox.view', sandboxOnly: true },
];
