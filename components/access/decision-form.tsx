'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';

type Result = { ok: true; data: unknown } | { ok: false; error: { message: string; fields?: Record<string, string> } };

/** Approve / reject with a comment, for an eligible approver. */
export function DecisionForm({ requestId, decide }: { requestId: string; decide: (input: { requestId: string; kind: 'APPROVE' | 'REJECT'; comment: string }) => Promise<Result> }) {
  const { t } = useI18n();
  const router = useRouter();
  const [comment, setComment] = useState('');
  const [result, setResult] = useState<Result | null>(null);
  const [pending, startTransition] = useTransition();
  const submit = (kind: 'APPROVE' | 'REJECT') =>
    startTransition(async () => {
      const res = await decide({ requestId, kind, comment });
      setResult(res);
      if (res.ok) router.refresh();
    });
  return (
    <div className="space-y-2" data-testid="decision-form">
      <label htmlFor="decision-comment" className="block text-sm font-medium">
        {t('access.decide.comment')}
      </label>
      <textarea id="decision-comment" value={comment} onChange={(e) => setComment(e.target.value)} rows={2} maxLength={1000} className="w-full rounded-md border border-border bg-surface px-3 py-2 text-sm" />
      <div className="flex gap-2">
        <Button type="button" disabled={pending} onClick={() => submit('APPROVE')}>
          {t('access.decide.approve')}
        </Button>
        <Button type="button" variant="danger" disabled={pending} onClick={() => submit('REJECT')}>
          {t('access.decide.reject')}
        </Button>
      </div>
      <p aria-live="polite" className="text-sm">
        {result?.ok ? <span className="text-ok">{t('access.decide.done')}</span> : null}
        {result && !result.ok ? (
          <span role="alert" className="text-danger">
            {result.error.fields?.comment ?? result.error.message}
          </span>
        ) : null}
      </p>
    </div>
  );
}

/** The requester's "cancel" button for a pending request. */
export function CancelButton({ requestId, cancel }: { requestId: string; cancel: (input: { requestId: string; comment: string }) => Promise<Result> }) {
  const { t } = useI18n();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div>
      <Button
        type="button"
        variant="secondary"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const res = await cancel({ requestId, comment: '' });
            if (res.ok) router.refresh();
            else setError(res.error.message);
          })
        }
      >
        {t('access.decide.cancel')}
      </Button>
      {error ? (
        <p role="alert" className="mt-1 text-sm text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}
