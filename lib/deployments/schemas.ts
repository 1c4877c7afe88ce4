import * as z from '@/lib/zod-mini';
import { DEPLOYMENT_STATUSES } from '@/lib/deployments/model';
import { ENVIRONMENT_SLUGS } from '@/lib/environments';
import { safeText } from '@/lib/security/text';
import { SHIFTED_FUNCTIONS } from '@/lib/deployments/traffic';

// zod/mini, not zod: the plan form checks its input in the browser with planFormSchema
// (lib/zod-mini.ts, docs/decisions/052-page-weight-budget.md).

export const environmentSchema = z.enum(ENVIRONMENT_SLUGS, { message: 'Unknown environment: pick dev, staging or prod.' });

/** CloudFormation logical ids and parameter names: alphanumeric. */
const logicalName = z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9]{0,254}$/, 'Not a CloudFormation logical name.'));

/**
 * Parameter overrides as the plan form or the API sends them. Values are checked against the
 * template's constraints by lib/deployments/parameters.ts, which knows the template.
 */
export const parameterOverridesSchema = z._default(
  z
    .record(logicalName, safeText(z.string().check(z.maxLength(4096, 'A parameter value is at most 4096 characters.'))))
    .check(z.refine((o) => Object.keys(o).length <= 200, 'At most 200 parameters.')),
  {},
);

/** A release id as `releaseIdOf` makes them (docs/decisions/042-releases.md). */
export const releaseIdSchema = z.string().check(z.regex(/^r-[0-9a-f]{12}$/, 'Not a release id (r- and 12 hex characters).'));

/** POST /api/v1/deployments and the plan form. */
export const planInputSchema = z.strictObject({
  environment: environmentSchema,
  parameters: parameterOverridesSchema,
  /** The release to deploy (docs/decisions/042-releases.md); unset or empty: the newest recorded. */
  release: z.preprocess((v) => (v === '' ? undefined : v), z.optional(releaseIdSchema)),
  /** Sandbox only: make the simulated execution fail on this resource, to show a rollback. */
  sandboxFailResource: z.preprocess((v) => (v === '' ? undefined : v), z.optional(logicalName)),
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

export const deploymentIdSchema = z.string().check(z.regex(/^[a-z0-9]{1,64}$/, 'Not a deployment id.'));

export const decisionInputSchema = z.object({
  id: deploymentIdSchema,
  comment: z._default(safeText(z.string().check(z.trim(), z.maxLength(1000, 'Keep the comment under 1000 characters.'))), ''),
});

/** The approve / reject form: the decision and its comment. */
export const decideInputSchema = z.extend(decisionInputSchema, {
  kind: z.enum(['APPROVE', 'REJECT'], { message: 'Pick approve or reject.' }),
  /** The stack name typed to approve a prod plan with warnings (compared exactly, not trimmed). */
  confirmStackName: z._default(z.string().check(z.maxLength(200, 'That is not the stack name.')), ''),
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
  environment: z.catch(z.optional(environmentSchema), undefined),
  status: z.catch(z.optional(z.enum(DEPLOYMENT_STATUSES)), undefined),
  format: z._default(z.enum(['csv', 'json']), 'json'),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(500)), 100),
});

/**
 * GATEHOUSE_DEPLOY_APPROVALS: approvals each environment's plans need, e.g. {"prod":2,"staging":1};
 * environments left out keep the default (prod 1, dev and staging 0).
 */
const approvals = z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(5)));
export const approvalsConfigSchema = z.pipe(
  z.pipe(
    z.string(),
    z.transform((raw: string, ctx) => {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.issues.push({ code: 'custom', message: 'must be JSON such as {"prod":1}', input: raw });
        return z.NEVER;
      }
    }),
  ),
  z.strictObject({ dev: approvals, staging: approvals, prod: approvals }, { message: 'keys are dev, staging, prod; values 0..5' }),
);

/** GET /api/v1/releases. */
export const releasesQuerySchema = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1, 'limit is 1 to 100.'), z.maximum(100, 'limit is 1 to 100.')), 20),
});
