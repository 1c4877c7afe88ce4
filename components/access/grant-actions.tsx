'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';

type Result = { ok: true; data: unknown } | { ok: false; error: { message: string; fields?: Record<string, string> } };

/** The holder's "give back" button. */
export function GiveBackButton({ grantId, giveBack }: { grantId: string; giveBack: (input: { grantId: string; comment: string }) => Promise<Result> }) {
  const { t } = useI18n();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div>
      <Button
        variant="secondary"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const res = await giveBack({ grantId, comment: '' });
            if (res.ok) router.refresh();
            else setError(res.error.message);
          })
        }
      >
        {t('access.grant.giveBack')}
      </Button>
      {error ? (
        <p role="alert" className="mt-1 text-sm text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Security's "revoke" with its reason. */
export function RevokeForm({ grantId, revoke }: { grantId: string; revoke: (input: { grantId: string; comment: string }) => Promise<Result> }) {
  const { t } = useI18n();
  const router = useRouter();
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="flex flex-wrap items-end gap-2">
      <label className="text-sm">
        <span className="block font-medium">{t('access.grant.revokeReason')}</span>
        <input value={comment} onChange={(e) => setComment(e.target.value)} maxLength={1000} className="rounded-md border border-border bg-surface px-2 py-1.5" />
      </label>
      <Button
        variant="danger"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const res = await revoke({ grantId, comment });
            if (res.ok) router.refresh();
            else setError(res.error.fields?.comment ?? res.error.message);
          })
        }
      >
        {t('access.grant.revoke')}
      </Button>
      {error ? (
        <p role="alert" className="w-full text-sm text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}
