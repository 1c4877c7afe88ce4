import { z } from 'zod';
import { FINDING_KINDS } from '@/lib/grants/reconcile';
import { safeText } from '@/lib/security/text';

const grantId = safeText(z.string().min(1).max(64));
const comment = safeText(z.string().trim().max(1000, 'Keep the comment under 1000 characters.'));

export const giveBackSchema = z.object({ grantId, comment: comment.default('') });
/**
 * Security's revoke, from the page or the API. The reason's length is the use case's rule (endGrant:
 * 422 on both transports), not checked here a second time with another status.
 */
export const revokeSchema = z.object({ grantId, comment: comment.default('') });

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
  grantId,
  endsAt: z.coerce.date({ message: 'Give a valid end time.' }),
  comment: comment.default(''),
});
