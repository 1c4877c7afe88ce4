import { z } from 'zod';

/** Approves (and applies), rejects or withdraws a proposed control-plane change. */
export const decideChangeSchema = z.object({
  changeId: z.string().trim().min(1, 'is required').max(64),
  decision: z.enum(['APPROVE', 'REJECT', 'WITHDRAW'], { message: 'Approve, reject or withdraw.' }),
  comment: z.string().trim().max(1000, 'Keep the comment under 1000 characters.').default(''),
});
export type DecideChangeInput = z.output<typeof decideChangeSchema>;
