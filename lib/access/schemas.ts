import { z } from 'zod';
import { REQUEST_STATUSES, REQUEST_TYPES } from '@/lib/access/model';
import { ENVIRONMENTS } from '@/lib/environments';
import { numberInput, safeText } from '@/lib/security/text';

export const JUSTIFICATION_MAX = 2000;
const id = safeText(z.string().trim().min(1, 'is required').max(64));
/** A request's id in a path, a form or a body (every id of this file has this shape). */
export const requestIdSchema = id;

const justification = safeText(
  z
    .string({ message: 'Say why you need it.' })
    .trim()
    .min(10, 'Say why you need it (at least 10 characters).')
    .max(JUSTIFICATION_MAX, `Keep the justification under ${JUSTIFICATION_MAX} characters.`),
);
const comment = safeText(z.string().trim().max(1000, 'Keep the comment under 1000 characters.'));

// Forms send "" for an empty optional field.
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const common = {
  justification,
  ticketRef: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .max(64)
      .regex(/^[A-Za-z0-9#._/:-]+$/, 'Use a ticket key or URL path such as OPS-123.')
      .optional(),
  ),
  durationMinutes: z.preprocess(
    blankToUndefined,
    numberInput(
      z
        .number({ message: 'Give a duration in minutes.' })
        .int('Give a whole number of minutes.')
        .min(15, 'The shortest access is 15 minutes.')
        .max(60 * 24 * 90, 'That is longer than any rule allows.'),
    ),
  ),
  // An instant, so always with its offset: a bare "2026-12-20T10:00" would be read in the server's zone
  // (docs/decisions/048-time-zone-policy.md). The form adds the reader's offset before sending.
  startsAt: z.preprocess(
    blankToUndefined,
    z.iso
      .datetime({ offset: true, message: 'Give the start as an ISO time with its UTC offset, such as 2026-12-20T10:00:00+01:00.' })
      .transform((value) => new Date(value))
      .optional(),
  ),
  breakGlass: z.preprocess((v) => v === true || v === 'true' || v === 'on', z.boolean()).default(false),
  breakGlassReason: z.preprocess(blankToUndefined, safeText(z.string().trim().min(10, 'Say what is broken (at least 10 characters).').max(1000)).optional()),
  extendsRequestId: z.preprocess(blankToUndefined, id.optional()),
};

/** A new request, from the form or the API; secret values are never part of it. Unknown keys are refused. */
export const createRequestSchema = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('SECRET_READ'), secretId: id, ...common }),
    z.strictObject({ type: z.literal('ROLE'), roleId: id, ...common }),
    z.strictObject({
      type: z.literal('SECRET_REGISTER'),
      environment: z.enum(ENVIRONMENTS, { message: 'Pick dev, staging or prod.' }),
      teamId: id,
      secretName: z
        .string()
        .trim()
        .regex(/^[a-z0-9][a-z0-9._-]{0,127}$/, 'Use lower-case letters, digits, dots, dashes or underscores.'),
      description: safeText(z.string().trim().min(3, 'Describe the secret.').max(500)),
      rotationDays: z.preprocess(blankToUndefined, numberInput(z.number().int().min(1).max(365)).optional()),
      ...common,
    }),
  ])
  .superRefine((r, ctx) => {
    if (r.breakGlass && !r.breakGlassReason) ctx.addIssue({ code: 'custom', path: ['breakGlassReason'], message: 'Break-glass needs a reason.' });
  });
export type CreateRequestInput = z.output<typeof createRequestSchema>;

export const decideRequestSchema = z.object({
  requestId: id,
  kind: z.enum(['APPROVE', 'REJECT']),
  comment: z.preprocess((v) => v ?? '', comment),
});
export type DecideRequestInput = z.output<typeof decideRequestSchema>;

export const cancelRequestSchema = z.object({ requestId: id, comment: comment.default('') });

export const reviewBreakGlassSchema = z.object({
  requestId: id,
  outcome: z.enum(['ACKNOWLEDGED', 'ESCALATED']),
  comment: comment.default(''),
});

/** List filters (query string); the cursor is opaque. */
export const listRequestsSchema = z.object({
  scope: z.enum(['mine', 'all']).default('mine'),
  status: z.enum(REQUEST_STATUSES).optional(),
  type: z.enum(REQUEST_TYPES).optional(),
  environment: z.enum(ENVIRONMENTS).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100).default(25)),
});
export type ListRequestsInput = z.output<typeof listRequestsSchema>;
