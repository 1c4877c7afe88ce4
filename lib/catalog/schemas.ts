import * as z from '@/lib/zod-mini';
import { APPROVER_GROUPS, REQUEST_TYPES } from '@/lib/access/model';
import { ENVIRONMENTS } from '@/lib/environments';
import { numberInput, safeText } from '@/lib/security/text';

// The catalog editor's forms (app/catalog) and any future API share these schemas. They accept
// FormData strings: numbers come as decimal strings, a checkbox is 'on' when ticked and absent otherwise, and a
// role's policy arrives as JSON text from a textarea (an already-parsed array is accepted too).
// zod/mini, not zod: the forms check their input in the browser with these same schemas
// (lib/zod-mini.ts, docs/decisions/052-page-weight-budget.md).

/** An AWS Secrets Manager secret ARN, in any partition. */
export const SECRET_ARN_PATTERN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;
/** A customer-managed KMS key ARN (not an alias). */
export const KMS_KEY_ARN_PATTERN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/.+$/;
/** A secret's own name, the last part of <env>/<team>/<name> (lib/access/model.ts SECRET_NAME_PATTERN). */
export const SECRET_SHORT_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,127}$/;
/** A role's function within its team, e.g. read-only, deployer, on-call. */
export const ROLE_FUNCTION_PATTERN = /^[a-z][a-z0-9-]{1,39}$/;
/** An IAM action: service:Action, wildcards allowed in the action part only (s3:Get*). */
export const POLICY_ACTION_PATTERN = /^[a-z0-9-]+:[A-Za-z0-9*]+$/;

export const DESCRIPTION_MAX = 500;
const ARN_MAX = 2048;

// Forms send "" for an empty optional field.
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const checkbox = z.preprocess((v) => v === true || v === 'true' || v === 'on', z.boolean());
const id = safeText(z.string().check(z.trim(), z.minLength(1, 'is required'), z.maxLength(64)));
const optionalId = z.preprocess(blankToUndefined, z.optional(id));
const environment = z.enum(ENVIRONMENTS, { message: 'Pick dev, staging or prod.' });
const teamId = safeText(z.string({ message: 'Pick a team.' }).check(z.trim(), z.minLength(1, 'Pick a team.'), z.maxLength(64)));
const description = z.preprocess(
  (v) => v ?? '',
  safeText(z.string().check(z.trim(), z.maxLength(DESCRIPTION_MAX, `Keep the description under ${DESCRIPTION_MAX} characters.`))),
);

function wholeNumber(min: number, max: number, unit: string) {
  return z.preprocess(
    blankToUndefined,
    numberInput(
      z
        .number({ message: `Give a number of ${unit}.` })
        .check(z.int(`Give a whole number of ${unit}.`), z.minimum(min, `At least ${min} ${unit}.`), z.maximum(max, `At most ${max} ${unit}.`)),
    ),
  );
}

/** Adds or edits (with `id`) a secret of the catalog; the stored name is <env>/<team slug>/<name>. */
export const upsertSecretSchema = z.object({
  id: optionalId,
  environment,
  teamId,
  name: z
    .string({ message: 'Give the secret a name.' })
    .check(
      z.trim(),
      z.regex(SECRET_SHORT_NAME_PATTERN, 'Use lower-case letters, digits, dots, dashes or underscores (at most 128, starting with a letter or digit).'),
    ),
  description,
  arn: z.preprocess(
    blankToUndefined,
    z.optional(
      z
        .string()
        .check(
          z.trim(),
          z.maxLength(ARN_MAX),
          z.regex(SECRET_ARN_PATTERN, 'Not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>).'),
        ),
    ),
  ),
  kmsKeyArn: z.preprocess(
    blankToUndefined,
    z.optional(
      z.string().check(z.trim(), z.maxLength(ARN_MAX), z.regex(KMS_KEY_ARN_PATTERN, 'Not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>).')),
    ),
  ),
  active: checkbox,
});
export type UpsertSecretInput = z.output<typeof upsertSecretSchema>;

const policyAction = z.string({ message: 'An action is a string such as s3:GetObject.' }).check(
  z.trim(),
  // A bare "*" would grant every action on every service: the catalog never offers it.
  z.refine((a) => a !== '*', { message: 'A bare "*" action is not allowed: name the service, e.g. s3:GetObject.', abort: true }),
  z.regex(POLICY_ACTION_PATTERN, 'Use service:Action, e.g. s3:GetObject or s3:Get*.'),
);

const policyResource = safeText(
  z
    .string({ message: 'A resource is an ARN string.' })
    .check(z.trim(), z.maxLength(ARN_MAX), z.startsWith('arn:', 'A resource is an ARN: it starts with "arn:".')),
);

/** One statement of a role's policy. Unknown keys (Effect, Condition, NotAction…) are refused, not ignored. */
export const policyStatementSchema = z.strictObject({
  actions: z
    .array(policyAction, { message: 'actions: give a list of actions.' })
    .check(z.minLength(1, 'Give at least one action.'), z.maxLength(50, 'At most 50 actions per statement.')),
  resources: z
    .array(policyResource, { message: 'resources: give a list of ARNs.' })
    .check(z.minLength(1, 'Give at least one resource.'), z.maxLength(50, 'At most 50 resources per statement.')),
});
export type PolicyStatement = z.output<typeof policyStatementSchema>;

/** A role's policy: JSON text (from the form) or an array, 1 to 20 statements. */
export const policySchema = z.preprocess(
  (v, ctx) => {
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      ctx.issues.push({ code: 'custom', message: 'not valid JSON', input: v });
      return z.NEVER;
    }
  },
  z
    .array(policyStatementSchema, { message: 'Give a list of statements: [{ "actions": [...], "resources": [...] }].' })
    .check(z.minLength(1, 'Give at least one statement.'), z.maxLength(20, 'At most 20 statements.')),
);

/** Adds or edits (with `id`) a team role (team x environment x function) and its policy. */
export const upsertRoleSchema = z.object({
  id: optionalId,
  teamId,
  environment,
  function: z
    .string({ message: 'Name the role’s function.' })
    .check(z.trim(), z.regex(ROLE_FUNCTION_PATTERN, 'Use 2–40 lower-case letters, digits or dashes, starting with a letter (e.g. read-only).')),
  description,
  policy: policySchema,
  active: checkbox,
});
export type UpsertRoleInput = z.output<typeof upsertRoleSchema>;

/** Sets how one request type is approved in one environment (applies to requests made afterwards). */
export const updateRuleSchema = z.object({
  requestType: z.enum(REQUEST_TYPES, { message: 'Pick a request type.' }),
  environment,
  approvalsRequired: wholeNumber(1, 5, 'approvals'),
  approverGroup: z.enum(APPROVER_GROUPS, { message: 'Pick who approves.' }),
  maxDurationMinutes: wholeNumber(15, 129_600, 'minutes'),
  pendingTtlMinutes: wholeNumber(15, 10_080, 'minutes'),
  breakGlassAllowed: checkbox,
});
export type UpdateRuleInput = z.output<typeof updateRuleSchema>;
