import { z } from 'zod';
import { ALARM_SORTS, ALARM_STATES, METRIC_RANGES } from '@/lib/alarms/model';
import { safeText } from '@/lib/security/text';

export { type AlarmSort } from '@/lib/alarms/model';

const stateList = z
  .string()
  .max(100)
  .transform((raw, ctx) => {
    const parts = [
      ...new Set(
        raw
          .split(',')
          .map((s) => s.trim().toUpperCase())
          .filter(Boolean),
      ),
    ];
    const unknown = parts.filter((p) => !(ALARM_STATES as readonly string[]).includes(p));
    if (unknown.length) {
      ctx.addIssue({ code: 'custom', message: `unknown state ${unknown.join(', ')}: use ${ALARM_STATES.join(', ')}` });
      return z.NEVER;
    }
    return parts as (typeof ALARM_STATES)[number][];
  });

const label = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'must be a lower-case name such as prod or api');

/** An account's route key: `home` (the portal's own) or a 12-digit account id. */
const accountKey = z.string().regex(/^(home|\d{12})$/, 'must be an account id (12 digits) or home');

/** Query of the overview (GET /api/v1/alarms and the page's search params); unknown parameters are refused. */
export const overviewQuerySchema = z.strictObject({
  state: stateList.optional(),
  env: label.optional(),
  service: label.optional(),
  q: z.string().trim().max(200).optional(),
  sort: z.enum(ALARM_SORTS).default('state'),
  order: z.enum(['asc', 'desc']).optional(),
  account: accountKey.optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-central-1')
    .optional(),
});
export type OverviewQuery = z.output<typeof overviewQuerySchema>;

/** CloudWatch alarm names: 1–255 characters, no control characters. */
export const alarmNameSchema = z
  .string()
  .min(1)
  .max(255)
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');

/** Which alarm (the account defaults to the one holding an alarm of that name, the region to the account's first). */
export const alarmRefQuerySchema = z.strictObject({
  account: accountKey.optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-central-1')
    .optional(),
});

/** Query of the metric endpoint. */
export const metricsQuerySchema = alarmRefQuerySchema.extend({
  range: z.enum(METRIC_RANGES, { message: `range must be one of ${METRIC_RANGES.join(', ')}` }).default('3h'),
});

/** SetAlarmState: which state, and the reason CloudWatch records (the portal adds who did it). */
export const setAlarmStateSchema = z.strictObject({
  name: alarmNameSchema,
  /** The alarm's account; without it, the one account holding an alarm of that name (several: refused). */
  account: accountKey.optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/)
    .optional(),
  state: z.enum(ALARM_STATES),
  reason: safeText(z.string().trim().min(1, 'say why').max(500)),
});
export type SetAlarmStateInput = z.output<typeof setAlarmStateSchema>;

/**
 * The answer the serverless stack's API gives on GET /health (infra/): overall status, the database
 * check through RDS Proxy, and the deployed version. Extra fields are allowed; missing ones are not.
 */
export const healthBodySchema = z.object({
  status: z.enum(['ok', 'degraded', 'error']),
  db: z.object({
    ok: z.boolean(),
    latencyMs: z.number().nonnegative(),
    error: z.string().max(2000).optional(),
  }),
  version: z.string().max(200).optional(),
});

/** GATEHOUSE_HEALTH_URLS: a JSON object of environment -> health URL. */
export const healthUrlsSchema = z.record(label, z.url({ protocol: /^https?$/, message: 'must be an absolute http(s) URL' }));
