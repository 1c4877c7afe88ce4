'use client';

import { useState } from 'react';
import { postToAuth } from '@/components/auth-post';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/form-error';
import { useActionCall } from '@/components/use-action-call';
import type { ActionResult } from '@/lib/action-result';

/**
 * "Confirm it's you": shown instead of the decision buttons of a prod request when the sign-in is
 * older than STEP_UP_MAX_AGE_MINUTES (docs/decisions/046-step-up.md). With single sign-on, a new
 * sign-in at the identity provider (max_age=0, prompt=login) that comes back to the request; with
 * local sign-in, an explicit confirmation that re-issues the session.
 */
export function StepUpPrompt({
  requestId,
  maxAgeMinutes,
  name,
  sso,
  confirm,
}: {
  requestId: string;
  maxAgeMinutes: number;
  name: string;
  /** The identity provider's name with single sign-on; null with local sign-in. */
  sso: string | null;
  confirm: (input: { requestId: string }) => Promise<ActionResult>;
}) {
  const { t } = useI18n();
  const { call, pending, error } = useActionCall(confirm);
  const [redirecting, setRedirecting] = useState(false);
  return (
    <section
      className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950"
      data-testid="step-up"
      aria-labelledby="step-up-title"
    >
      <h3 id="step-up-title" className="font-semibold">
        {t('stepUp.title')}
      </h3>
      <p>{t('stepUp.intro', { minutes: maxAgeMinutes })}</p>
      {sso ? (
        <>
          <p>{t('stepUp.sso', { provider: sso })}</p>
          <Button
            type="button"
            disabled={redirecting}
            onClick={() => {
              setRedirecting(true);
              void postToAuth('signin/oidc', { callbackUrl: `/requests/${encodeURIComponent(requestId)}` }, { max_age: '0', prompt: 'login' });
            }}
          >
            {t('stepUp.sso.confirm', { provider: sso })}
          </Button>
        </>
      ) : (
        <>
          <p>{t('stepUp.local', { name })}</p>
          <Button type="button" disabled={pending} onClick={() => call({ requestId })}>
            {t('stepUp.local.confirm', { name })}
          </Button>
        </>
      )}
      <FormError compact>{error?.message}</FormError>
    </section>
  );
}
