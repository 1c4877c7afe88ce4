'use client';

import { useId, useState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { useActionCall } from '@/components/use-action-call';
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
  const { call, pending, error } = useActionCall(review);
  const id = useId();
  return (
    <div className="flex flex-wrap items-end gap-2" data-testid="break-glass-review-form">
      <div className="flex min-w-48 flex-col gap-1">
        <label htmlFor={id} className="text-xs font-medium">
          {t('breakGlassReview.comment')}
        </label>
        <textarea
          id={id}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          maxLength={1000}
          rows={2}
          className="rounded-md border border-border bg-surface px-2 py-1 text-sm"
        />
      </div>
      <Button size="sm" variant="secondary" disabled={pending} onClick={() => call({ requestId, outcome: 'ACKNOWLEDGED', comment })}>
        {t('access.breakglass.acknowledge')}
      </Button>
      <Button size="sm" variant="danger" disabled={pending} onClick={() => call({ requestId, outcome: 'ESCALATED', comment })}>
        {t('access.breakglass.escalate')}
      </Button>
      {error ? (
        <span role="alert" className="text-sm text-danger">
          {error.message}
        </span>
      ) : null}
    </div>
  );
}
