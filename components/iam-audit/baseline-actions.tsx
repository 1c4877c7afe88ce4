'use client';

import { useState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { useActionCall } from '@/components/use-action-call';
import type { ActionResult } from '@/lib/action-result';

function ErrorLine({ message }: { message: string | undefined }) {
  return (
    <FormError compact className="w-full">
      {message}
    </FormError>
  );
}

/** Proposes the baseline as the server computes it now (supersedes any open plan). */
export function ProposeBaselineButton({ propose }: { propose: (input: Record<string, never>) => Promise<ActionResult> }) {
  const { t } = useI18n();
  // A failure still reloads: the open plan may have changed meanwhile.
  const { call, pending, error } = useActionCall(propose, { refreshOnError: true });
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button type="button" size="sm" variant="secondary" disabled={pending} onClick={() => call({})}>
        {pending ? t('iamAudit.baseline.working') : t('iamAudit.baseline.propose')}
      </Button>
      <ErrorLine message={error?.message} />
    </div>
  );
}

type Decide = (input: { planId: string; decision: 'APPROVE' | 'REJECT'; comment: string }) => Promise<ActionResult>;

/**
 * Approve / reject with an optional comment. The author sees why they cannot approve (the server
 * refuses it in any case); they may still withdraw their proposal with reject.
 */
export function DecideBaselineForm({ planId, decide, ownPlan }: { planId: string; decide: Decide; ownPlan: boolean }) {
  const { t } = useI18n();
  const [comment, setComment] = useState('');
  const { call, pending, error } = useActionCall(decide, { refreshOnError: true });
  return (
    <div className="flex flex-wrap items-end gap-2">
      <Field id={`baseline-comment-${planId}`} label={t('iamAudit.baseline.comment')}>
        <Input name="comment" value={comment} onChange={(e) => setComment(e.target.value)} maxLength={1000} className="px-2 py-1.5" />
      </Field>
      <Button
        type="button"
        size="sm"
        disabled={pending || ownPlan}
        aria-describedby={ownPlan ? 'own-plan-note' : undefined}
        onClick={() => call({ planId, decision: 'APPROVE', comment })}
      >
        {t('iamAudit.baseline.approve')}
      </Button>
      <Button type="button" size="sm" variant="danger" disabled={pending} onClick={() => call({ planId, decision: 'REJECT', comment })}>
        {t('iamAudit.baseline.reject')}
      </Button>
      {ownPlan ? (
        <p id="own-plan-note" className="w-full text-sm text-muted" data-testid="own-plan-note">
          {t('iamAudit.baseline.ownPlan')}
        </p>
      ) : null}
      <ErrorLine message={error?.fields?.comment ?? error?.message} />
    </div>
  );
}

/** Applies an approved plan, or retries a failed one (every step is idempotent). */
export function ApplyBaselineButton({ planId, apply, retry }: { planId: string; apply: (input: { planId: string }) => Promise<ActionResult>; retry: boolean }) {
  const { t } = useI18n();
  const { call, pending, error } = useActionCall(apply, { refreshOnError: true });
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button type="button" size="sm" disabled={pending} onClick={() => call({ planId })}>
        {pending ? t('iamAudit.baseline.working') : retry ? t('iamAudit.baseline.retry') : t('iamAudit.baseline.apply')}
      </Button>
      <ErrorLine message={error?.message} />
    </div>
  );
}
