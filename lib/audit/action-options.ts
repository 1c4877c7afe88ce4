import { AUDIT_ACTIONS, type AuditAction } from '@/lib/audit/actions';
import type { Translate } from '@/lib/i18n/messages';

/** The audit page's action filter: every action the history records, labelled in the reader's language. */
export function auditActionOptions(t: Translate): { value: AuditAction; label: string }[] {
  return AUDIT_ACTIONS.map((value) => ({ value, label: t(`audit.action.${value}`) }));
}
