import { z } from 'zod';
import { type ApprovalRuleValues, type RequestType } from '@/lib/access/model';
import { ENVIRONMENTS, environmentSlugOf, type Environment } from '@/lib/environments';
import { AppError } from '@/lib/errors';
import { plural } from '@/lib/i18n/plural';

/**
 * Floors no approval rule can cross (docs/decisions/032-control-plane-two-person-rule.md). They
 * come from configuration (GATEHOUSE_RULE_FLOORS), never from the database: a proposal that crosses
 * one is refused, and the rule a request is made under is clamped to them, so a rule edited
 * directly in the database cannot weaken access either.
 */
export interface EnvironmentFloor {
  /** A rule of this environment needs at least this many approvals. */
  minApprovals: number;
  /** A rule of this environment grants access for at most this long (null: no floor beyond the form's limit). */
  maxDurationMinutes: number | null;
}

export interface RuleFloors {
  environments: Record<Environment, EnvironmentFloor>;
  /** Break-glass access lasts at most this long. */
  breakGlassMaxMinutes: number;
}

/** prod >= 2 approvals and <= 8 h; staging and dev >= 1 approval; break-glass <= 60 min. */
export const DEFAULT_RULE_FLOORS: RuleFloors = {
  environments: {
    DEV: { minApprovals: 1, maxDurationMinutes: null },
    STAGING: { minApprovals: 1, maxDurationMinutes: null },
    PROD: { minApprovals: 2, maxDurationMinutes: 8 * 60 },
  },
  breakGlassMaxMinutes: 60,
};

const environmentFloorSchema = z.strictObject({
  minApprovals: z.number().int().min(1, 'minApprovals must be at least 1').max(5, 'minApprovals must be at most 5').optional(),
  maxDurationMinutes: z.number().int().min(15, 'maxDurationMinutes must be at least 15').max(129_600, 'maxDurationMinutes must be at most 129600').optional(),
});

/**
 * The floors' configuration: a JSON object such as
 * {"prod":{"minApprovals":2,"maxDurationMinutes":480},"staging":{"minApprovals":1},"breakGlassMaxMinutes":60};
 * what it leaves out keeps the default.
 */
export const ruleFloorsConfigSchema = z
  .strictObject({
    dev: environmentFloorSchema.optional(),
    staging: environmentFloorSchema.optional(),
    prod: environmentFloorSchema.optional(),
    // The grant engine never gives break-glass more than an hour (lib/access/rules.ts): configuration can only shorten it.
    breakGlassMaxMinutes: z.number().int().min(5, 'breakGlassMaxMinutes must be at least 5').max(60, 'breakGlassMaxMinutes must be at most 60').optional(),
  })
  .transform((c): RuleFloors => {
    const environments = { ...DEFAULT_RULE_FLOORS.environments };
    for (const env of ENVIRONMENTS) {
      const given = c[environmentSlugOf(env)];
      if (given)
        environments[env] = {
          minApprovals: given.minApprovals ?? environments[env].minApprovals,
          maxDurationMinutes: given.maxDurationMinutes ?? environments[env].maxDurationMinutes,
        };
    }
    return { environments, breakGlassMaxMinutes: c.breakGlassMaxMinutes ?? DEFAULT_RULE_FLOORS.breakGlassMaxMinutes };
  });

function duration(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
}

/** Refuses (422, naming the floor) a rule that needs fewer approvals or grants longer than its environment's floor allows. */
export function assertRuleWithinFloors(
  type: RequestType,
  environment: Environment,
  rule: Pick<ApprovalRuleValues, 'approvalsRequired' | 'maxDurationMinutes'>,
  floors: RuleFloors,
): void {
  const floor = floors.environments[environment];
  const label = `${type}/${environment}`;
  if (rule.approvalsRequired < floor.minApprovals) {
    throw new AppError(
      'UNPROCESSABLE',
      `${label}: at least ${plural('en', floor.minApprovals, { one: '# approval is', other: '# approvals are' })} required in ${environment.toLowerCase()} (configured floor); ${rule.approvalsRequired} is below it.`,
    );
  }
  if (floor.maxDurationMinutes !== null && rule.maxDurationMinutes > floor.maxDurationMinutes) {
    throw new AppError(
      'UNPROCESSABLE',
      `${label}: access in ${environment.toLowerCase()} lasts at most ${duration(floor.maxDurationMinutes)} (configured floor); ${duration(rule.maxDurationMinutes)} is above it.`,
    );
  }
}

/**
 * The rule a request is made under, held to the floors: at least the floor's approvals, at most its
 * duration. Defence in depth for a rule row written around the portal (directly in the database).
 */
export function clampRuleToFloors<R extends Pick<ApprovalRuleValues, 'approvalsRequired' | 'maxDurationMinutes'>>(
  rule: R,
  environment: Environment,
  floors: RuleFloors,
): R {
  const floor = floors.environments[environment];
  return {
    ...rule,
    approvalsRequired: Math.max(rule.approvalsRequired, floor.minApprovals),
    maxDurationMinutes: floor.maxDurationMinutes === null ? rule.maxDurationMinutes : Math.min(rule.maxDurationMinutes, floor.maxDurationMinutes),
  };
}
