import * as z from '@/lib/zod-mini';
import { DB_INSTANCE_CLASSES, REGIONS } from '@/lib/costs/prices';
import { ENVIRONMENT_SLUGS } from '@/lib/environments';

// zod/mini, not zod: the cost model checks its inputs in the browser with costModelInputsSchema
// (lib/zod-mini.ts, docs/decisions/052-page-weight-budget.md).

/** Cost bases Cost Explorer reports; the overview shows one at a time and says which. */
export const COST_BASES = ['unblended', 'amortized'] as const;
export type CostBasis = (typeof COST_BASES)[number];

const slug = z.string().check(z.trim(), z.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be a lowercase slug such as payments'));

/**
 * The overview's filters, read from the URL (the page) or the query string (the API). Unknown keys
 * are refused so a typo does not silently show an unfiltered view.
 */
export const costOverviewQuerySchema = z.preprocess(
  // A GET form sends "team=" for "all": an empty value means no filter.
  (raw) => (raw && typeof raw === 'object' ? Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== '')) : raw),
  z.strictObject({
    basis: z._default(z.enum(COST_BASES, { message: `must be one of ${COST_BASES.join(', ')}` }), 'unblended'),
    env: z.optional(z.enum(ENVIRONMENT_SLUGS, { message: `must be one of ${ENVIRONMENT_SLUGS.join(', ')}` })),
    team: z.optional(slug),
  }),
);
export type CostOverviewQuery = z.output<typeof costOverviewQuerySchema>;

/** "Refresh now" for one query of the overview (ops and admins; bounded per query). */
export const refreshCostsSchema = z.object({
  basis: z._default(z.enum(COST_BASES), 'unblended'),
  env: z.optional(z.enum(ENVIRONMENT_SLUGS)),
  team: z.optional(slug),
});

const FLAG_TEXT = ['1', '0', 'true', 'false', 'on', 'off'] as const;
const flag = z.pipe(
  z.union([z.boolean(), z.enum(FLAG_TEXT)]),
  z.transform((v: boolean | (typeof FLAG_TEXT)[number]) => v === true || v === '1' || v === 'true' || v === 'on'),
);

const num = (min: number, max: number, message: string) =>
  z.coerce.number({ message: 'must be a number' }).check(z.minimum(min, message), z.maximum(max, message));
const int = (min: number, max: number, message: string) => num(min, max, message).check(z.int('must be a whole number'));

/** How the Lambda inside a VPC reaches Slack and AWS APIs. */
export const EGRESS = ['nat', 'endpoints'] as const;
/** Database behind RDS Proxy: a provisioned instance (proxy per vCPU) or Aurora Serverless v2 (per ACU). */
export const DB_KINDS = ['provisioned', 'aurora-serverless'] as const;

/**
 * The cost model's inputs; every field has the source document's value (or, where it gives none,
 * a stated assumption) as default, so an empty URL is the document's scenario.
 */
export const costModelInputsSchema = z.object({
  region: z._default(z.enum(REGIONS as [string, ...string[]] as ['us-east-1', 'ap-northeast-2']), 'us-east-1'),
  normalPerHour: z._default(num(0, 10_000_000, 'must be between 0 and 10,000,000'), 100),
  peakPerHour: z._default(num(0, 10_000_000, 'must be between 0 and 10,000,000'), 1000),
  peakDays: z._default(int(0, 30, 'must be between 0 and 30 days'), 3),
  lambdaMemoryMb: z._default(int(128, 10_240, 'must be between 128 and 10,240 MB'), 512),
  lambdaDurationMs: z._default(num(1, 900_000, 'must be between 1 ms and 15 minutes'), 200),
  payloadKb: z._default(num(0, 256, 'must be between 0 and 256 KB'), 4),
  taskVcpu: z._default(z.coerce.number().check(z.refine((v: number) => [0.25, 0.5, 1, 2, 4].includes(v), 'must be 0.25, 0.5, 1, 2 or 4 vCPU')), 0.25),
  taskMemoryGb: z._default(num(0.5, 30, 'must be between 0.5 and 30 GB'), 0.5),
  tasksNormal: z._default(int(1, 1000, 'must be between 1 and 1,000 tasks'), 1),
  tasksPeak: z._default(int(1, 1000, 'must be between 1 and 1,000 tasks'), 5),
  /** Requests an hour one task serves; above it the model adds tasks (for the traffic chart). */
  taskCapacityPerHour: z._default(int(1, 10_000_000, 'must be between 1 and 10,000,000'), 36_000),
  dbKind: z._default(z.enum(DB_KINDS), 'provisioned'),
  dbClass: z._default(
    z.enum(DB_INSTANCE_CLASSES as [string, ...string[]] as ['db.t4g.micro', 'db.t4g.small', 'db.t4g.medium', 'db.m6g.large', 'db.m6g.xlarge']),
    'db.t4g.micro',
  ),
  auroraAcu: z._default(num(0.5, 128, 'must be between 0.5 and 128 ACU'), 2),
  dbStorageGb: z._default(int(20, 65_536, 'must be between 20 and 65,536 GB'), 20),
  azCount: z._default(int(1, 6, 'must be between 1 and 6'), 2),
  freeTier: z._default(flag, true),
  // What the document left out (all on by default).
  omitted: z._default(flag, true),
  multiAz: z._default(flag, true),
  egress: z._default(z.enum(EGRESS), 'nat'),
  secrets: z._default(int(0, 1000, 'must be between 0 and 1,000'), 2),
  alarms: z._default(int(0, 5000, 'must be between 0 and 5,000'), 12),
});
export type CostModelInputs = z.output<typeof costModelInputsSchema>;
export type CostModelField = keyof CostModelInputs;

/** The document's scenario: every default. */
export const DEFAULT_MODEL_INPUTS: CostModelInputs = costModelInputsSchema.parse({});

/** Inputs as URL parameters: only those that differ from the defaults, so a shared link stays short. */
export function modelInputsToParams(inputs: CostModelInputs): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of Object.keys(DEFAULT_MODEL_INPUTS) as CostModelField[]) {
    const value = inputs[key];
    if (value === DEFAULT_MODEL_INPUTS[key]) continue;
    params.set(key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  return params;
}
