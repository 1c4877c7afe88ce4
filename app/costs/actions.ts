'use server';

import { revalidatePath } from 'next/cache';
import { refreshCostsSchema } from '@/lib/costs/schemas';
import { refreshCosts } from '@/lib/server/costs';
import { serverAction } from '@/lib/server/http/action';

/** "Refresh now" of one filtered view: fetches again only answers at least 10 minutes old. */
export const refreshCostsAction = serverAction('costs.refresh', refreshCostsSchema, async (input) => {
  const result = await refreshCosts(input);
  revalidatePath('/costs');
  return result;
});
