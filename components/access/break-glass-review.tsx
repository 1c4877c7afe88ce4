'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';

type Result = { ok: true; data: unknown } | { ok: false; error: { message: string } };

/** Acknowledge or escalate one break-glass use. */
export function BreakGlassReview({ requestId, review }: { requestId: string; review: (input: { requestId: string; outcome: 'ACKNOWLEDGED' | 'ESCALATED'; comment: string }) => Promise<Result> }) {
  const { t } = useI18n();
  const router = useRouter();
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const submit = (outcome: 'ACKNOWLEDGED' | 'ESCALATED') =>
    startTransition(async () => {
      const res = await review({ requestId, outcome, comment });
      if (res.ok) router.refresh();
      else setError(res.error.message);
    });
  return (
    <div className="flex flex-wrap items-center gap-2">
      <input
        aria-label={t('access.decide.comment')}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        maxLength={1000}
        className="rounded-md border border-border bg-surface px-2 py-1 text-sm"
      />
      <Button size="sm" variant="secondary" disabled={pending} onClick={() => submit('ACKNOWLEDGED')}>
        {t('access.breakglass.acknowledge')}
      </Button>
      <Button size="sm" variant="danger" disabled={pending} onClick={() => submit('ESCALATED')}>
        {t('access.breakglass.escalate')}
      </Button>
      {error ? (
        <span role="alert" className="text-sm text-danger">
          {error}
        </span>
      ) : null}
    </div>
  );
}
