'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';

/** What every server action of ours answers (lib/server/http/action.ts). */
export type ActionCallResult = { ok: true; data: unknown } | { ok: false; error: { message: string; fields?: Record<string, string> } };

/**
 * Calls a server action from a button: tracks pending, keeps the last result, and re-renders the
 * page's server data after a success (or always, with `refreshOnError`).
 */
export function useActionCall<I>(action: (input: I) => Promise<ActionCallResult>, { refreshOnError = false } = {}) {
  const router = useRouter();
  const [result, setResult] = useState<ActionCallResult | null>(null);
  const [pending, startTransition] = useTransition();
  const call = (input: I) =>
    startTransition(async () => {
      setResult(null);
      const res = await action(input);
      setResult(res);
      if (res.ok || refreshOnError) router.refresh();
    });
  return { call, pending, result, error: result && !result.ok ? result.error : null };
}
