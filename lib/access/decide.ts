import { AppError } from '@/lib/errors';
import type { ApproverCapacity, ApproverGroup, DecisionKind, RequestStatus } from '@/lib/access/model';

/** What the decision rules need to know of a request (its frozen rule and who may decide). */
export interface DecidableRequest {
  status: RequestStatus;
  requesterId: string;
  approvalsRequired: number;
  approverGroup: ApproverGroup;
  eligibleSecurityIds: readonly string[];
  eligibleLeadIds: readonly string[];
  pendingExpiresAt: Date;
}

export interface PastDecision {
  approverId: string;
  kind: DecisionKind;
  capacity: ApproverCapacity;
}

/**
 * What the approver holds at the moment they decide, read from the database inside the deciding
 * transaction (never from a session): being on the frozen list is not enough on its own.
 */
export interface ApproverStanding {
  /** The user exists and is not deactivated. */
  active: boolean;
  /** Holds the SECURITY role now. */
  security: boolean;
  /** Is a lead of the request's team now. */
  leadOfTeam: boolean;
}

export interface DecisionOutcome {
  capacity: ApproverCapacity;
  /** The request's status after this decision. */
  status: 'PENDING' | 'APPROVED' | 'REJECTED';
  approvals: number;
}

/** In which capacity the user may decide, or null when they may not. Security takes precedence over lead. */
export function approverCapacity(
  request: Pick<DecidableRequest, 'requesterId' | 'eligibleSecurityIds' | 'eligibleLeadIds' | 'approverGroup'>,
  userId: string,
): ApproverCapacity | null {
  if (userId === request.requesterId) return null;
  if (request.eligibleSecurityIds.includes(userId)) return 'SECURITY';
  if (request.approverGroup === 'SECURITY_AND_TEAM_LEAD' && request.eligibleLeadIds.includes(userId)) return 'TEAM_LEAD';
  return null;
}

const NOT_AN_APPROVER = 'You are not one of the approvers of this request.';

/**
 * In which capacity the user may decide now: on the frozen list in that capacity and still holding
 * it. Returns the capacity, or the reason the decision cannot count. A user frozen in both lists who
 * has lost SECURITY but still leads the team decides as TEAM_LEAD.
 */
export function currentCapacity(
  request: Pick<DecidableRequest, 'requesterId' | 'eligibleSecurityIds' | 'eligibleLeadIds' | 'approverGroup'>,
  userId: string,
  standing: ApproverStanding,
): { capacity: ApproverCapacity } | { refused: string } {
  if (!approverCapacity(request, userId)) return { refused: NOT_AN_APPROVER };
  if (!standing.active) return { refused: 'Your account is deactivated, so your decision cannot count.' };
  if (request.eligibleSecurityIds.includes(userId) && standing.security) return { capacity: 'SECURITY' };
  const frozenLead = request.approverGroup === 'SECURITY_AND_TEAM_LEAD' && request.eligibleLeadIds.includes(userId);
  if (frozenLead && standing.leadOfTeam) return { capacity: 'TEAM_LEAD' };
  return {
    refused: frozenLead
      ? 'You are no longer a lead of the team this request is for, so your decision cannot count.'
      : 'You no longer hold the SECURITY role, so your decision cannot count.',
  };
}

/**
 * Counts approvals: each approver once; a team lead's approval counts at most once, and an approval
 * needs at least one from security (the lead is "one of them", never all of them).
 */
export function countApprovals(decisions: readonly PastDecision[]): { total: number; security: number } {
  const approvals = decisions.filter((d) => d.kind === 'APPROVE');
  const security = new Set(approvals.filter((d) => d.capacity === 'SECURITY').map((d) => d.approverId)).size;
  const leads = new Set(approvals.filter((d) => d.capacity === 'TEAM_LEAD').map((d) => d.approverId)).size;
  return { total: security + Math.min(leads, 1), security };
}

/**
 * Whether a pending request can still be approved: the approvals already given (each counted as it
 * was when given) plus those the frozen approvers who have not decided and still hold their
 * capacity could add. An approver missing from `standings` is taken as holding nothing. The
 * request is not changed when this falls short (decision 028): it expires unanswered, and the page
 * tells the requester to cancel and ask again.
 */
export function reachableApprovals(
  request: Pick<DecidableRequest, 'requesterId' | 'eligibleSecurityIds' | 'eligibleLeadIds' | 'approverGroup' | 'approvalsRequired'>,
  past: readonly PastDecision[],
  standings: ReadonlyMap<string, ApproverStanding>,
): { reachable: number; enough: boolean } {
  const decided = new Set(past.map((d) => d.approverId));
  const potential: PastDecision[] = [];
  for (const id of new Set([...request.eligibleSecurityIds, ...request.eligibleLeadIds])) {
    if (decided.has(id)) continue;
    const current = currentCapacity(request, id, standings.get(id) ?? { active: false, security: false, leadOfTeam: false });
    if ('capacity' in current) potential.push({ approverId: id, kind: 'APPROVE', capacity: current.capacity });
  }
  const { total, security } = countApprovals([...past, ...potential]);
  return { reachable: total, enough: total >= request.approvalsRequired && security >= 1 };
}

/**
 * Applies one approver's decision to a pending request. Refuses: self-approval (403), an approver
 * who is not on the frozen list or no longer holds that capacity (403, with the reason), a second decision by the same approver (409), a request that is no
 * longer pending or whose time to be answered has passed (409). A rejection ends the request; the
 * last approval needed approves it.
 */
export function evaluateDecision(
  request: DecidableRequest,
  past: readonly PastDecision[],
  decision: { approverId: string; kind: DecisionKind },
  now: Date,
  standing: ApproverStanding,
): DecisionOutcome {
  if (decision.approverId === request.requesterId) {
    throw new AppError('FORBIDDEN', 'You cannot approve or reject your own request.');
  }
  if (request.status !== 'PENDING') {
    throw new AppError('CONFLICT', `The request is already ${request.status.toLowerCase()}.`, { status: request.status });
  }
  if (now.getTime() >= request.pendingExpiresAt.getTime()) {
    throw new AppError('CONFLICT', 'The request expired before it was answered.', { status: 'EXPIRED' });
  }
  const current = currentCapacity(request, decision.approverId, standing);
  if ('refused' in current) throw new AppError('FORBIDDEN', current.refused);
  const { capacity } = current;
  if (past.some((d) => d.approverId === decision.approverId)) {
    throw new AppError('CONFLICT', 'You have already decided on this request.');
  }
  const all = [...past, { approverId: decision.approverId, kind: decision.kind, capacity }];
  const { total, security } = countApprovals(all);
  if (decision.kind === 'REJECT') return { capacity, status: 'REJECTED', approvals: total };
  const approved = total >= request.approvalsRequired && security >= 1;
  return { capacity, status: approved ? 'APPROVED' : 'PENDING', approvals: total };
}
