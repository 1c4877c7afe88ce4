'use client';

import { useState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { useActionCall } from '@/components/use-action-call';
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
  const { call, pending, result, error } = useActionCall(decide);
  return (
    <div className="space-y-2" data-testid="decision-form">
      <label htmlFor="decision-comment" className="block text-sm font-medium">
        {t('access.decide.comment')}
      </label>
      <textarea
        id="decision-comment"
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        rows={2}
        maxLength={1000}
        className="w-full rounded-md border border-border bg-surface px-3 py-2 text-sm"
      />
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
        {error ? (
          <span role="alert" className="text-danger">
            {error.fields?.comment ?? error.message}
          </span>
        ) : null}
      </p>
    </div>
  );
}

/** The requester's "cancel" button for a pending request. */
export function CancelButton({
  requestId,
  cancel,
}: {
  requestId: string;
  cancel: (input: { requestId: string; comment: string }) => Promise<ActionResult>;
}) {
  const { t } = useI18n();
  const { call, pending, error } = useActionCall(cancel);
  return (
    <div>
      <Button type="button" variant="secondary" disabled={pending} onClick={() => call({ requestId, comment: '' })}>
        {t('access.decide.cancel')}
      </Button>
      {error ? (
        <p role="alert" className="mt-1 text-sm text-danger">
          {error.message}
        </p>
      ) : null}
    </div>
  );
}
