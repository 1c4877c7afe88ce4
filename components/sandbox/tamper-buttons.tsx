'use client';

import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { useActionCall, type ActionCallResult } from '@/components/use-action-call';

type Tamper = (input: { policyName: string; change: 'widen' | 'detach' }) => Promise<ActionCallResult>;

/** Sandbox only: change a grant policy behind Gatehouse's back, to watch the reconciler catch it. */
export function TamperButtons({ policyName, tamper }: { policyName: string; tamper: Tamper }) {
  const { t } = useI18n();
  const { call, pending, error } = useActionCall(tamper);
  return (
    <div className="flex flex-wrap gap-2">
      <Button variant="secondary" disabled={pending} onClick={() => call({ policyName, change: 'widen' })}>
        {t('access.sandbox.widen')}
      </Button>
      <Button variant="secondary" disabled={pending} onClick={() => call({ policyName, change: 'detach' })}>
        {t('access.sandbox.detach')}
      </Button>
      {error ? (
        <p role="alert" className="w-full text-sm text-danger">
          {error.message}
        </p>
      ) : null}
    </div>
  );
}
