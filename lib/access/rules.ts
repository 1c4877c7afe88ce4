import type { ApprovalRuleValues, RequestType } from '@/lib/access/model';
import type { Environment } from '@/lib/environments';

const HOUR = 60;
const DAY = 24 * HOUR;

/**
 * Built-in defaults, used where the rules table has no row for (type, environment):
 * dev 1 approval / 7 days, staging 1 / 3 days, prod 2 / 8 hours; unanswered requests live 24 h;
 * break-glass only for prod secret reads and prod roles. Registering a secret grants only a
 * short write window, so its maximum is 1 hour everywhere.
 */
export function defaultRule(type: RequestType, environment: Environment): ApprovalRuleValues {
  const base: Record<Environment, ApprovalRuleValues> = {
    DEV: { approvalsRequired: 1, approverGroup: 'SECURITY', maxDurationMinutes: 7 * DAY, pendingTtlMinutes: DAY, breakGlassAllowed: false },
    STAGING: { approvalsRequired: 1, approverGroup: 'SECURITY', maxDurationMinutes: 3 * DAY, pendingTtlMinutes: DAY, breakGlassAllowed: false },
    PROD: { approvalsRequired: 2, approverGroup: 'SECURITY', maxDurationMinutes: 8 * HOUR, pendingTtlMinutes: DAY, breakGlassAllowed: true },
  };
  const rule = { ...base[environment] };
  if (type === 'ROLE') rule.approverGroup = 'SECURITY_AND_TEAM_LEAD';
  if (type === 'SECRET_REGISTER') {
    rule.maxDurationMinutes = HOUR;
    rule.breakGlassAllowed = false;
  }
  return rule;
}

/** The rule that applies: the stored one for exactly (type, environment), else the built-in default. */
export function resolveRule(stored: ApprovalRuleValues | null | undefined, type: RequestType, environment: Environment): ApprovalRuleValues {
  return stored ?? defaultRule(type, environment);
}

/** Break-glass access is approved at once but for at most this long. */
export const BREAK_GLASS_MAX_MINUTES = 60;

/**
 * How long break-glass access may last: the built-in hour, or less when the configured floors say
 * so (GATEHOUSE_RULE_FLOORS). The service enforces it and the form and pages say it from here.
 */
export function breakGlassMaxMinutes(floorMinutes: number): number {
  return Math.min(BREAK_GLASS_MAX_MINUTES, floorMinutes);
}
