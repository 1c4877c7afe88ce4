import { ENVIRONMENT_SLUGS, environmentSlugOf, type Environment } from '@/lib/environments';

export const REQUEST_TYPES = ['SECRET_READ', 'SECRET_REGISTER', 'ROLE'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export const REQUEST_STATUSES = ['PENDING', 'APPROVED', 'REJECTED', 'CANCELLED', 'EXPIRED', 'ACTIVE', 'ENDED'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const APPROVER_GROUPS = ['SECURITY', 'SECURITY_AND_TEAM_LEAD'] as const;
export type ApproverGroup = (typeof APPROVER_GROUPS)[number];

export type DecisionKind = 'APPROVE' | 'REJECT';
/** In which capacity an approver decided. */
export type ApproverCapacity = 'SECURITY' | 'TEAM_LEAD';

/** A rule: how one request type is approved in one environment. */
export interface ApprovalRuleValues {
  approvalsRequired: number;
  approverGroup: ApproverGroup;
  maxDurationMinutes: number;
  pendingTtlMinutes: number;
  breakGlassAllowed: boolean;
}

/** The secret catalog's naming convention: <env>/<team>/<name>. */
export function secretName(environment: Environment, teamSlug: string, name: string): string {
  return `${environmentSlugOf(environment)}/${teamSlug}/${name}`;
}

export const SECRET_NAME_PATTERN = new RegExp(`^(${ENVIRONMENT_SLUGS.join('|')})/[a-z][a-z0-9-]{1,39}/[a-z0-9][a-z0-9._-]{0,127}$`);
