'use client';

import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/form-error';
import { useActionCall } from '@/components/use-action-call';
import type { ActionResult } from '@/lib/action-result';

/** Sandbox only: record in the simulated CloudTrail that a grant's holder used it. */
export function SimulateUseButton({ grantId, simulate }: { grantId: string; simulate: (input: { grantId: string }) => Promise<ActionResult> }) {
  const { t } = useI18n();
  const { call, pending, error } = useActionCall(simulate);
  return (
    <span className="inline-flex flex-col gap-1">
      <Button size="sm" variant="secondary" disabled={pending} onClick={() => call({ grantId })}>
        {t('reports.simulate')}
      </Button>
      <FormError compact className="text-xs">
        {error?.message}
      </FormError>
    </span>
  );
}
