import * as z from '@/lib/zod-mini';
import { REQUEST_STATUSES, REQUEST_TYPES } from '@/lib/access/model';
import { ENVIRONMENTS } from '@/lib/environments';
import { numberInput, safeText } from '@/lib/security/text';

// zod/mini, not zod: the request, decision and review forms check their input in the browser with
// these same schemas (lib/zod-mini.ts, docs/decisions/052-page-weight-budget.md).

export const JUSTIFICATION_MAX = 2000;
const id = safeText(z.string().check(z.trim(), z.minLength(1, 'is required'), z.maxLength(64)));
/** A request's id in a path, a form or a body (every id of this file has this shape). */
export const requestIdSchema = id;

const justification = safeText(
  z
    .string({ message: 'Say why you need it.' })
    .check(
      z.trim(),
      z.minLength(10, 'Say why you need it (at least 10 characters).'),
      z.maxLength(JUSTIFICATION_MAX, `Keep the justification under ${JUSTIFICATION_MAX} characters.`),
    ),
);
const comment = safeText(z.string().check(z.trim(), z.maxLength(1000, 'Keep the comment under 1000 characters.')));

// Forms send "" for an empty optional field.
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const common = {
  justification,
  ticketRef: z.preprocess(
    blankToUndefined,
    z.optional(z.string().check(z.trim(), z.maxLength(64), z.regex(/^[A-Za-z0-9#._/:-]+$/, 'Use a ticket key or URL path such as OPS-123.'))),
  ),
  durationMinutes: z.preprocess(
    blankToUndefined,
    numberInput(
      z
        .number({ message: 'Give a duration in minutes.' })
        .check(
          z.int('Give a whole number of minutes.'),
          z.minimum(15, 'The shortest access is 15 minutes.'),
          z.maximum(60 * 24 * 90, 'That is longer than any rule allows.'),
        ),
    ),
  ),
  // An instant, so always with its offset: a bare "2026-12-20T10:00" would be read in the server's zone
  // (docs/decisions/048-time-zone-policy.md). The form adds the reader's offset before sending.
  startsAt: z.preprocess(
    blankToUndefined,
    z.optional(
      z.pipe(
        z.iso.datetime({ offset: true, message: 'Give the start as an ISO time with its UTC offset, such as 2026-12-20T10:00:00+01:00.' }),
        z.transform((value: string) => new Date(value)),
      ),
    ),
  ),
  breakGlass: z._default(
    z.preprocess((v) => v === true || v === 'true' || v === 'on', z.boolean()),
    false,
  ),
  breakGlassReason: z.preprocess(
    blankToUndefined,
    z.optional(safeText(z.string().check(z.trim(), z.minLength(10, 'Say what is broken (at least 10 characters).'), z.maxLength(1000)))),
  ),
  extendsRequestId: z.preprocess(blankToUndefined, z.optional(id)),
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
      secretName: z.string().check(z.trim(), z.regex(/^[a-z0-9][a-z0-9._-]{0,127}$/, 'Use lower-case letters, digits, dots, dashes or underscores.')),
      description: safeText(z.string().check(z.trim(), z.minLength(3, 'Describe the secret.'), z.maxLength(500))),
      rotationDays: z.preprocess(blankToUndefined, z.optional(numberInput(z.number().check(z.int(), z.minimum(1), z.maximum(365))))),
      ...common,
    }),
  ])
  .check(
    z.superRefine((r, ctx) => {
      if (r.breakGlass && !r.breakGlassReason) ctx.addIssue({ code: 'custom', path: ['breakGlassReason'], message: 'Break-glass needs a reason.' });
    }),
  );
export type CreateRequestInput = z.output<typeof createRequestSchema>;

export const decideRequestSchema = z.object({
  requestId: id,
  kind: z.enum(['APPROVE', 'REJECT']),
  comment: z.preprocess((v) => v ?? '', comment),
});
export type DecideRequestInput = z.output<typeof decideRequestSchema>;

export const cancelRequestSchema = z.object({ requestId: id, comment: z._default(comment, '') });

export const reviewBreakGlassSchema = z.object({
  requestId: id,
  outcome: z.enum(['ACKNOWLEDGED', 'ESCALATED']),
  comment: z._default(comment, ''),
});

/** List filters (query string); the cursor is opaque. */
export const listRequestsSchema = z.object({
  scope: z._default(z.enum(['mine', 'all']), 'mine'),
  status: z.optional(z.enum(REQUEST_STATUSES)),
  type: z.optional(z.enum(REQUEST_TYPES)),
  environment: z.optional(z.enum(ENVIRONMENTS)),
  cursor: z.optional(z.string().check(z.maxLength(200))),
  limit: z.preprocess(blankToUndefined, z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 25)),
});
export type ListRequestsInput = z.output<typeof listRequestsSchema>;
