import type { MessageKey } from '@/lib/i18n/messages';
import type { Action } from '@/lib/server/auth/permissions';

/** The portal's sections: the navigation shows those whose action the user may perform. */
export const SECTIONS: { href: string; label: MessageKey; action: Action }[] = [
  { href: '/', label: 'nav.home', action: 'portal.view' },
  { href: '/admin', label: 'nav.admin', action: 'admin.users.read' },
];
