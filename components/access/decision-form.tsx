'use client';

import { useState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { Field, Textarea } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { useActionCall } from '@/components/use-action-call';
import { decideRequestSchema } from '@/lib/access/schemas';
import type { ActionResult } from '@/lib/action-result';

/** Approve / reject with a comment, for an eligible approver. */
export function DecisionForm({
  requestId,
  decide,
}: {
  requestId: string;
  decide: (input: { requestId: string; kind: 'APPROVE' | 'REJECT'; comment: string }) => Promise<ActionResult>;
}) {
  const { t } = useI18n();
  const [comment, setComment] = useState('');
  const { call, pending, result, error } = useActionCall(decide, { schema: decideRequestSchema, invalidMessage: t('forms.invalid') });
  return (
    <div className="space-y-2" data-testid="decision-form">
      <Field id="decision-comment" label={t('access.decide.comment')} error={error?.fields?.comment}>
        <Textarea value={comment} onChange={(e) => setComment(e.target.value)} rows={2} maxLength={1000} />
      </Field>
      <div className="flex gap-2">
        <Button type="button" disabled={pending} onClick={() => call({ requestId, kind: 'APPROVE', comment })}>
          {t('access.decide.approve')}
        </Button>
        <Button type="button" variant="danger" disabled={pending} onClick={() => call({ requestId, kind: 'REJECT', comment })}>
          {t('access.decide.reject')}
        </Button>
      </div>
      <p aria-live="polite" className="text-sm">
        {result?.ok ? <span className="text-ok">{t('access.decide.done')}</span> : null}
      </p>
      {/* A comment's own error is shown on its field. */}
      <FormError compact>{error && !error.fields?.comment ? error.message : null}</FormError>
    </div>
  );
}

/** The requester's "cancel" button for a pending request. */
export function CancelButton({ requestId, cancel }: { requestId: string; cancel: (input: { requestId: string; comment: string }) => Promise<ActionResult> }) {
  const { t } = useI18n();
  const { call, pending, error } = useActionCall(cancel);
  return (
    <div>
      <Button type="button" variant="secondary" disabled={pending} onClick={() => call({ requestId, comment: '' })}>
        {t('access.decide.cancel')}
      </Button>
      <FormError compact className="mt-1">
        {error?.message}
      </FormError>
    </div>
  );
}
