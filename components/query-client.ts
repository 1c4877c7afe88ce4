import { QueryClient } from '@tanstack/react-query';

/** The one QueryClient configuration: live data is polled, so a short non-zero staleTime avoids refetch storms. */
export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 10_000, refetchOnWindowFocus: true, retry: 2 },
      mutations: { retry: 0 },
    },
  });
}
