import { z } from 'zod';
import { FINDING_KINDS } from '@/lib/grants/reconcile';

export const giveBackSchema = z.object({ grantId: z.string().min(1).max(64), comment: z.string().trim().max(1000).default('') });
export const revokeSchema = z.object({
  grantId: z.string().min(1).max(64),
  comment: z.string().trim().min(5, 'Say why the access is revoked (at least 5 characters).').max(1000),
});

/** A reconciler finding, by its id (`<kind>:<policy name>`); the server scans again and computes the fix itself. */
export const fixFindingSchema = z.object({
  findingId: z
    .string()
    .min(1)
    .max(300)
    .regex(new RegExp(`^(${FINDING_KINDS.join('|')}):[\\w+=,.@-]+$`), 'Not a finding id.'),
});
export const fixAllFindingsSchema = z.object({}).strict();

/** Ends a grant earlier than planned: a new end in the future, before the current one. */
export const shortenSchema = z.object({
  grantId: z.string().min(1).max(64),
  endsAt: z.coerce.date({ message: 'Give a valid end time.' }),
  comment: z.string().trim().max(1000).default(''),
});
