'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';

type Result = { ok: true; data: unknown } | { ok: false; error: { message: string } };

/** "Fix" for one finding (`findingId`) or "Fix all" (none): runs the server action, then reloads the page's scan. */
export function ReconcileButton<I extends object>({ run, input, all = false, label }: { run: (input: I) => Promise<Result>; input: I; all?: boolean; label?: string }) {
  const { t } = useI18n();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div>
      <Button
        type="button"
        size="sm"
        variant={all ? 'primary' : 'secondary'}
        aria-label={label}
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            setError(null);
            const res = await run(input);
            if (!res.ok) setError(res.error.message);
            router.refresh();
          })
        }
      >
        {pending ? t('grants.reconcile.fixing') : all ? t('grants.reconcile.fixAll') : t('grants.reconcile.fix')}
      </Button>
      {error ? (
        <p role="alert" className="mt-1 text-sm text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}
