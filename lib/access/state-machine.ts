import { AppError } from '@/lib/errors';
import type { RequestStatus } from '@/lib/access/model';

/**
 * The request lifecycle (docs/decisions/005-access-requests.md):
 *   PENDING  -> APPROVED | REJECTED | CANCELLED | EXPIRED (nobody answered in time)
 *   APPROVED -> ACTIVE (the grant engine applied it) | ENDED (revoked or given back before it started)
 *   ACTIVE   -> ENDED (expired, given back or revoked)
 * REJECTED, CANCELLED, EXPIRED and ENDED are final.
 */
export const TRANSITIONS: Readonly<Record<RequestStatus, readonly RequestStatus[]>> = {
  PENDING: ['APPROVED', 'REJECTED', 'CANCELLED', 'EXPIRED'],
  APPROVED: ['ACTIVE', 'ENDED'],
  ACTIVE: ['ENDED'],
  REJECTED: [],
  CANCELLED: [],
  EXPIRED: [],
  ENDED: [],
};

/** Whether the lifecycle allows going from one status to the other. */
export function canTransition(from: RequestStatus, to: RequestStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Throws CONFLICT (409) for a transition the lifecycle does not allow. */
export function assertTransition(from: RequestStatus, to: RequestStatus): void {
  if (!canTransition(from, to)) {
    throw new AppError('CONFLICT', `The request is ${from.toLowerCase()}; it cannot become ${to.toLowerCase()}.`, { from, to });
  }
}

/** True for statuses nothing can leave. */
export function isFinal(status: RequestStatus): boolean {
  return TRANSITIONS[status].length === 0;
}
