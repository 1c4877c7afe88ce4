'use client';

import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/form-error';
import { useActionCall } from '@/components/use-action-call';
import type { ActionResult } from '@/lib/action-result';

type Tamper = (input: { accountId: string; policyName: string; change: 'widen' | 'detach' }) => Promise<ActionResult>;

/** Sandbox only: change a grant policy behind Gatehouse's back in its account, to watch the reconciler catch it. */
export function TamperButtons({ accountId, policyName, tamper }: { accountId: string; policyName: string; tamper: Tamper }) {
  const { t } = useI18n();
  const { call, pending, error } = useActionCall(tamper);
  return (
    <div className="flex flex-wrap gap-2">
      <Button variant="secondary" disabled={pending} onClick={() => call({ accountId, policyName, change: 'widen' })}>
        {t('access.sandbox.widen')}
      </Button>
      <Button variant="secondary" disabled={pending} onClick={() => call({ accountId, policyName, change: 'detach' })}>
        {t('access.sandbox.detach')}
      </Button>
      <FormError compact className="w-full">
        {error?.message}
      </FormError>
    </div>
  );
}
