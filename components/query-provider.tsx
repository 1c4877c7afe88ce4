'use client';

import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { makeQueryClient } from '@/components/query-client';

// TanStack Query is for live data, which a few pages show (alarms, a deployment, the audit chain
// check, the portal's health on the home page). Those pages wrap their live part in QueryProvider;
// the root layout does not, so the pages without live data do not load the library
// (docs/decisions/052-page-weight-budget.md).

let browserClient: QueryClient | undefined;

/** One client for the whole visit in the browser (its cache outlives client navigations, as when it sat in the root layout); a new one per server render. */
function queryClient(): QueryClient {
  if (typeof window === 'undefined') return makeQueryClient();
  return (browserClient ??= makeQueryClient());
}

/** Gives the live components inside it the browser's QueryClient. */
export function QueryProvider({ children }: { children: ReactNode }) {
  return <QueryClientProvider client={queryClient()}>{children}</QueryClientProvider>;
}
