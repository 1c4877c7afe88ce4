import { z } from 'zod';

export const giveBackSchema = z.object({ grantId: z.string().min(1).max(64), comment: z.string().trim().max(1000).default('') });
export const revokeSchema = z.object({
  grantId: z.string().min(1).max(64),
  comment: z.string().trim().min(5, 'Say why the access is revoked (at least 5 characters).').max(1000),
});
