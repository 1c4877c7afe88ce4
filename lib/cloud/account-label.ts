import type { AccountRoute } from '@/lib/cloud/accounts';

// Apart from accounts.ts, whose config schema pulls zod: client components name accounts too
// (docs/decisions/052-page-weight-budget.md).

/** How an account is named on a page: its alias and id, or the id alone. */
export function accountLabel(route: Pick<AccountRoute, 'accountId' | 'alias'>): string {
  if (!route.accountId) return route.alias ?? '';
  return route.alias ? `${route.alias} (${route.accountId})` : route.accountId;
}
