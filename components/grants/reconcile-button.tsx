'use client';

import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/form-error';
import { useActionCall } from '@/components/use-action-call';
import type { ActionResult } from '@/lib/action-result';

/** "Fix" for one finding (`findingId`) or "Fix all" (none): runs the server action, then reloads the page's scan. */
export function ReconcileButton<I extends object>({
  run,
  input,
  all = false,
  label,
}: {
  run: (input: I) => Promise<ActionResult>;
  input: I;
  all?: boolean;
  label?: string;
}) {
  const { t } = useI18n();
  // A failed fix still reloads the scan: the finding may have changed meanwhile.
  const { call, pending, error } = useActionCall(run, { refreshOnError: true });
  return (
    <div>
      <Button type="button" size="sm" variant={all ? 'primary' : 'secondary'} aria-label={label} disabled={pending} onClick={() => call(input)}>
        {pending ? t('grants.reconcile.fixing') : all ? t('grants.reconcile.fixAll') : t('grants.reconcile.fix')}
      </Button>
      <FormError compact className="mt-1">
        {error?.message}
      </FormError>
    </div>
  );
}
