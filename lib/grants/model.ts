import type { Environment } from '@/lib/environments';
import type { PolicyDocument, TeamRoleSpec } from '@/lib/grants/policy';
import type { Principal } from '@/lib/grants/principals';

export const GRANT_STATUSES = ['PENDING', 'ACTIVE', 'GRANT_FAILED', 'ENDING', 'ENDED'] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number];
export type GrantEndReason = 'EXPIRED' | 'GIVEN_BACK' | 'REVOKED';

export type GrantKind = 'SECRET_READ' | 'SECRET_REGISTER' | 'ROLE';

/** What must exist in AWS before a grant's policy can name it. */
export type GrantSetup =
  | { kind: 'CREATE_SECRET'; name: string; description: string; tags: Record<string, string>; teamId: string; environment: string; rotationDays: number | null }
  | { kind: 'TEAM_ROLE'; role: TeamRoleSpec };

/** A grant as the engine works with it. */
export interface GrantRecord {
  id: string;
  requestId: string;
  kind: GrantKind;
  setup: GrantSetup | null;
  setupAt: Date | null;
  requesterId: string;
  status: GrantStatus;
  principal: Principal;
  policyName: string;
  policyArn: string | null;
  policy: PolicyDocument;
  resourceArn: string;
  startsAt: Date;
  endsAt: Date;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  endReason: GrantEndReason | null;
  version: number;
  environment: Environment;
  teamId: string;
}

/** Retry delay after `attempts` failures: 15 s doubling to 15 min, with up to 50 % jitter. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(15_000 * 2 ** Math.max(0, attempts - 1), 15 * 60_000);
  return Math.round(base / 2 + (base / 2) * random());
}

/**
 * True when the lifecycle job will move the grant before `until`: apply it (PENDING and due to
 * start), retry it (GRANT_FAILED and due for its attempt) or remove it (ENDING, always due). A page
 * showing the grant keeps itself fresh only then (docs/decisions/024).
 */
export function grantWorkDueBy(grant: { status: GrantStatus; startsAt: Date; nextAttemptAt: Date }, until: Date): boolean {
  const by = until.getTime();
  if (grant.status === 'ENDING') return true;
  if (grant.status === 'PENDING') return grant.startsAt.getTime() <= by && grant.nextAttemptAt.getTime() <= by;
  if (grant.status === 'GRANT_FAILED') return grant.nextAttemptAt.getTime() <= by;
  return false;
}
