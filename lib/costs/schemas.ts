import { z } from 'zod';
import { DB_INSTANCE_CLASSES, REGIONS } from '@/lib/costs/prices';
import { ENVIRONMENT_SLUGS } from '@/lib/environments';

/** Cost bases Cost Explorer reports; the overview shows one at a time and says which. */
export const COST_BASES = ['unblended', 'amortized'] as const;
export type CostBasis = (typeof COST_BASES)[number];

const slug = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be a lowercase slug such as payments');

/**
 * The overview's filters, read from the URL (the page) or the query string (the API). Unknown keys
 * are refused so a typo does not silently show an unfiltered view.
 */
export const costOverviewQuerySchema = z.preprocess(
  // A GET form sends "team=" for "all": an empty value means no filter.
  (raw) => (raw && typeof raw === 'object' ? Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== '')) : raw),
  z
    .object({
      basis: z.enum(COST_BASES, { message: `must be one of ${COST_BASES.join(', ')}` }).default('unblended'),
      env: z.enum(ENVIRONMENT_SLUGS, { message: `must be one of ${ENVIRONMENT_SLUGS.join(', ')}` }).optional(),
      team: slug.optional(),
    })
    .strict(),
);
export type CostOverviewQuery = z.output<typeof costOverviewQuerySchema>;

/** "Refresh now" for one query of the overview (ops and admins; bounded per query). */
export const refreshCostsSchema = z.object({
  basis: z.enum(COST_BASES).default('unblended'),
  env: z.enum(ENVIRONMENT_SLUGS).optional(),
  team: slug.optional(),
});

const flag = z.union([z.boolean(), z.enum(['1', '0', 'true', 'false', 'on', 'off'])]).transform((v) => v === true || v === '1' || v === 'true' || v === 'on');

const num = (min: number, max: number, message: string) => z.coerce.number({ message: 'must be a number' }).min(min, message).max(max, message);
const int = (min: number, max: number, message: string) => num(min, max, message).int('must be a whole number');

/** How the Lambda inside a VPC reaches Slack and AWS APIs. */
export const EGRESS = ['nat', 'endpoints'] as const;
/** Database behind RDS Proxy: a provisioned instance (proxy per vCPU) or Aurora Serverless v2 (per ACU). */
export const DB_KINDS = ['provisioned', 'aurora-serverless'] as const;

/**
 * The cost model's inputs; every field has the source document's value (or, where it gives none,
 * a stated assumption) as default, so an empty URL is the document's scenario.
 */
export const costModelInputsSchema = z.object({
  region: z.enum(REGIONS as [string, ...string[]] as ['us-east-1', 'ap-northeast-2']).default('us-east-1'),
  normalPerHour: num(0, 10_000_000, 'must be between 0 and 10,000,000').default(100),
  peakPerHour: num(0, 10_000_000, 'must be between 0 and 10,000,000').default(1000),
  peakDays: int(0, 30, 'must be between 0 and 30 days').default(3),
  lambdaMemoryMb: int(128, 10_240, 'must be between 128 and 10,240 MB').default(512),
  lambdaDurationMs: num(1, 900_000, 'must be between 1 ms and 15 minutes').default(200),
  payloadKb: num(0, 256, 'must be between 0 and 256 KB').default(4),
  taskVcpu: z.coerce
    .number()
    .refine((v) => [0.25, 0.5, 1, 2, 4].includes(v), 'must be 0.25, 0.5, 1, 2 or 4 vCPU')
    .default(0.25),
  taskMemoryGb: num(0.5, 30, 'must be between 0.5 and 30 GB').default(0.5),
  tasksNormal: int(1, 1000, 'must be between 1 and 1,000 tasks').default(1),
  tasksPeak: int(1, 1000, 'must be between 1 and 1,000 tasks').default(5),
  /** Requests an hour one task serves; above it the model adds tasks (for the traffic chart). */
  taskCapacityPerHour: int(1, 10_000_000, 'must be between 1 and 10,000,000').default(36_000),
  dbKind: z.enum(DB_KINDS).default('provisioned'),
  dbClass: z
    .enum(DB_INSTANCE_CLASSES as [string, ...string[]] as ['db.t4g.micro', 'db.t4g.small', 'db.t4g.medium', 'db.m6g.large', 'db.m6g.xlarge'])
    .default('db.t4g.micro'),
  auroraAcu: num(0.5, 128, 'must be between 0.5 and 128 ACU').default(2),
  dbStorageGb: int(20, 65_536, 'must be between 20 and 65,536 GB').default(20),
  azCount: int(1, 6, 'must be between 1 and 6').default(2),
  freeTier: flag.default(true),
  // What the document left out (all on by default).
  omitted: flag.default(true),
  multiAz: flag.default(true),
  egress: z.enum(EGRESS).default('nat'),
  secrets: int(0, 1000, 'must be between 0 and 1,000').default(2),
  alarms: int(0, 5000, 'must be between 0 and 5,000').default(12),
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
