'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { serverAction } from '@/lib/server/http/action';
import { simulateGrantUse } from '@/lib/server/reports';

const simulateUseSchema = z.object({ grantId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a grant id.') });

/**
 * Sandbox only: records in the simulated CloudTrail that the grant's holder used it, so that the
 * grants report shows "used" (docs/decisions/051-reports.md). Refused in aws mode.
 */
export const simulateGrantUseAction = serverAction('sandbox.simulate_use', simulateUseSchema, async ({ grantId }) => {
  const result = await simulateGrantUse(grantId);
  revalidatePath('/reports');
  return { grantId: result.grantId, at: result.at.toISOString() };
});
