import type { Actor } from '@/lib/identity/actor';
import { hasRole } from '@/lib/identity/actor';
import { currentCapacity, type ApproverStanding } from '@/lib/access/decide';
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

/**
 * Whether the actor can decide now (pending, on the frozen list and still holding that capacity,
 * not theirs, not decided by them yet). For showing the buttons; the decision itself re-reads the
 * approver from the database (lib/access/service.ts).
 */
export function canDecideNow(
  actor: Actor,
  request: Pick<RequestRecord, 'status' | 'requesterId' | 'teamId' | 'eligibleSecurityIds' | 'eligibleLeadIds' | 'approverGroup' | 'pendingExpiresAt'>,
  decidedBy: readonly string[],
  now: Date,
): boolean {
  return (
    request.status === 'PENDING' &&
    request.pendingExpiresAt.getTime() > now.getTime() &&
    'capacity' in currentCapacity(request, actor.id, standingOf(actor, request.teamId)) &&
    !decidedBy.includes(actor.id)
  );
}

/** What the signed-in actor holds, as the session loaded them (fresh within seconds, lib/server/auth/guards.ts). */
export function standingOf(actor: Actor, teamId: string): ApproverStanding {
  return { active: true, security: hasRole(actor, 'SECURITY'), leadOfTeam: actor.teams.some((t) => t.id === teamId && t.isLead) };
}
