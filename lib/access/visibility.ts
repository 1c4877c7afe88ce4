import type { Actor } from '@/lib/identity/actor';
import { hasRole } from '@/lib/identity/actor';
import { approverCapacity } from '@/lib/access/decide';
import type { RequestRecord } from '@/lib/access/ports';

/** Who may see a request: its requester, its approvers, and the security team and admins. */
export function canViewRequest(actor: Actor, request: Pick<RequestRecord, 'requesterId' | 'eligibleSecurityIds' | 'eligibleLeadIds'>): boolean {
  return (
    request.requesterId === actor.id ||
    request.eligibleSecurityIds.includes(actor.id) ||
    request.eligibleLeadIds.includes(actor.id) ||
    hasRole(actor, 'SECURITY') ||
    hasRole(actor, 'ADMIN')
  );
}

/** Whether the actor can decide now (pending, eligible, not theirs, not decided by them yet). */
export function canDecideNow(
  actor: Actor,
  request: Pick<RequestRecord, 'status' | 'requesterId' | 'eligibleSecurityIds' | 'eligibleLeadIds' | 'approverGroup' | 'pendingExpiresAt'>,
  decidedBy: readonly string[],
  now: Date,
): boolean {
  return (
    request.status === 'PENDING' &&
    request.pendingExpiresAt.getTime() > now.getTime() &&
    approverCapacity(request, actor.id) !== null &&
    !decidedBy.includes(actor.id)
  );
}
