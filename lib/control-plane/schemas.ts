import { z } from 'zod';
import { safeText } from '@/lib/security/text';

/** Approves (and applies), rejects or withdraws a proposed control-plane change. */
export const decideChangeSchema = z.object({
  changeId: safeText(z.string().trim().min(1, 'is required').max(64)),
  decision: z.enum(['APPROVE', 'REJECT', 'WITHDRAW'], { message: 'Approve, reject or withdraw.' }),
  comment: safeText(z.string().trim().max(1000, 'Keep the comment under 1000 characters.')).default(''),
});
