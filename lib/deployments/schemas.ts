import { z } from 'zod';
import { DEPLOYMENT_STATUSES } from '@/lib/deployments/model';
import { ENVIRONMENT_SLUGS } from '@/lib/environments';
import { safeText } from '@/lib/security/text';
import { SHIFTED_FUNCTIONS } from '@/lib/deployments/traffic';

export const environmentSchema = z.enum(ENVIRONMENT_SLUGS, { message: 'Unknown environment: pick dev, staging or prod.' });

/** CloudFormation logical ids and parameter names: alphanumeric. */
const logicalName = z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,254}$/, 'Not a CloudFormation logical name.');

/**
 * Parameter overrides as the plan form or the API sends them. Values are checked against the
 * template's constraints by lib/deployments/parameters.ts, which knows the template.
 */
export const parameterOverridesSchema = z
  .record(logicalName, safeText(z.string().max(4096, 'A parameter value is at most 4096 characters.')))
  .refine((o) => Object.keys(o).length <= 200, 'At most 200 parameters.')
  .default({});

/** A release id as `releaseIdOf` makes them (docs/decisions/042-releases.md). */
export const releaseIdSchema = z.string().regex(/^r-[0-9a-f]{12}$/, 'Not a release id (r- and 12 hex characters).');

/** POST /api/v1/deployments and the plan form. */
export const planInputSchema = z.strictObject({
  environment: environmentSchema,
  parameters: parameterOverridesSchema,
  /** The release to deploy (docs/decisions/042-releases.md); unset or empty: the newest recorded. */
  release: z.preprocess((v) => (v === '' ? undefined : v), releaseIdSchema.optional()),
  /** Sandbox only: make the simulated execution fail on this resource, to show a rollback. */
  sandboxFailResource: z.preprocess((v) => (v === '' ? undefined : v), logicalName.optional()),
});
export type PlanInput = z.output<typeof planInputSchema>;

/** The plan form posts `param.<Name>` fields; this folds them into `parameters`. */
export function planFormToInput(form: Record<string, unknown>): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(form)) {
    if (key.startsWith('param.')) parameters[key.slice('param.'.length)] = value;
    else rest[key] = value;
  }
  return { ...rest, parameters };
}

/** The plan form's fields as the plan action parses them (on the server, and in the browser first). */
export const planFormSchema = z.preprocess((raw) => (raw && typeof raw === 'object' ? planFormToInput(raw as Record<string, unknown>) : raw), planInputSchema);

export const deploymentIdSchema = z.string().regex(/^[a-z0-9]{1,64}$/, 'Not a deployment id.');

export const decisionInputSchema = z.object({
  id: deploymentIdSchema,
  comment: safeText(z.string().trim().max(1000, 'Keep the comment under 1000 characters.')).default(''),
});

/** The approve / reject form: the decision and its comment. */
export const decideInputSchema = decisionInputSchema.extend({
  kind: z.enum(['APPROVE', 'REJECT'], { message: 'Pick approve or reject.' }),
  /** The stack name typed to approve a prod plan with warnings (compared exactly, not trimmed). */
  confirmStackName: z.string().max(200, 'That is not the stack name.').default(''),
});

export const executeInputSchema = z.object({ id: deploymentIdSchema });

export const driftInputSchema = z.strictObject({ environment: environmentSchema });

/** Sandbox only: change a resource behind CloudFormation's back (edit a property, or delete it). */
export const simulateDriftSchema = z.object({
  environment: environmentSchema,
  logicalId: logicalName,
  change: z.enum(['edit', 'delete'], { message: 'Pick edit or delete.' }),
});

/** Sandbox only: fire a function's error alarm, so that its next traffic shift rolls back (docs/decisions/044-traffic-shift.md). */
export const failShiftSchema = z.object({
  environment: environmentSchema,
  function: z.enum(SHIFTED_FUNCTIONS, { message: 'Pick api, worker or notifier.' }),
});

export const historyQuerySchema = z.object({
  environment: environmentSchema.optional().catch(undefined),
  status: z.enum(DEPLOYMENT_STATUSES).optional().catch(undefined),
  format: z.enum(['csv', 'json']).default('json'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/**
 * GATEHOUSE_DEPLOY_APPROVALS: approvals each environment's plans need, e.g. {"prod":2,"staging":1};
 * environments left out keep the default (prod 1, dev and staging 0).
 */
export const approvalsConfigSchema = z
  .string()
  .transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON such as {"prod":1}' });
      return z.NEVER;
    }
  })
  .pipe(
    z.strictObject(
      { dev: z.number().int().min(0).max(5).optional(), staging: z.number().int().min(0).max(5).optional(), prod: z.number().int().min(0).max(5).optional() },
      { message: 'keys are dev, staging, prod; values 0..5' },
    ),
  );

/** GET /api/v1/releases. */
export const releasesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1, 'limit is 1 to 100.').max(100, 'limit is 1 to 100.').default(20),
});
