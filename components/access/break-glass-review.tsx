'use client';

import { useId, useState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { Field, Textarea } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { useActionCall } from '@/components/use-action-call';
import { reviewBreakGlassSchema } from '@/lib/access/schemas';
import type { ActionResult } from '@/lib/action-result';

/** Acknowledge or escalate one break-glass use. */
export function BreakGlassReview({
  requestId,
  review,
}: {
  requestId: string;
  review: (input: { requestId: string; outcome: 'ACKNOWLEDGED' | 'ESCALATED'; comment: string }) => Promise<ActionResult>;
}) {
  const { t } = useI18n();
  const [comment, setComment] = useState('');
  const { call, pending, error } = useActionCall(review, { schema: reviewBreakGlassSchema, invalidMessage: t('forms.invalid') });
  const id = useId();
  return (
    <div className="flex flex-wrap items-end gap-2" data-testid="break-glass-review-form">
      <Field id={id} label={t('breakGlassReview.comment')} error={error?.fields?.comment} className="min-w-48">
        <Textarea value={comment} onChange={(e) => setComment(e.target.value)} maxLength={1000} rows={2} className="px-2 py-1" />
      </Field>
      <Button size="sm" variant="secondary" disabled={pending} onClick={() => call({ requestId, outcome: 'ACKNOWLEDGED', comment })}>
        {t('access.breakglass.acknowledge')}
      </Button>
      <Button size="sm" variant="danger" disabled={pending} onClick={() => call({ requestId, outcome: 'ESCALATED', comment })}>
        {t('access.breakglass.escalate')}
      </Button>
      <FormError compact>{error && !error.fields?.comment ? error.message : null}</FormError>
    </div>
  );
}
