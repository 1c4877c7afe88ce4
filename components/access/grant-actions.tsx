'use client';

import { useState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { useActionCall, type ActionCallResult } from '@/components/use-action-call';

type EndGrant = (input: { grantId: string; comment: string }) => Promise<ActionCallResult>;

/** The holder's "give back" button. */
export function GiveBackButton({ grantId, giveBack }: { grantId: string; giveBack: EndGrant }) {
  const { t } = useI18n();
  const { call, pending, error } = useActionCall(giveBack);
  return (
    <div>
      <Button variant="secondary" disabled={pending} onClick={() => call({ grantId, comment: '' })}>
        {t('access.grant.giveBack')}
      </Button>
      {error ? (
        <p role="alert" className="mt-1 text-sm text-danger">
          {error.message}
        </p>
      ) : null}
    </div>
  );
}

/** Security's "revoke" with its reason. */
export function RevokeForm({ grantId, revoke }: { grantId: string; revoke: EndGrant }) {
  const { t } = useI18n();
  const [comment, setComment] = useState('');
  const { call, pending, error } = useActionCall(revoke);
  return (
    <div className="flex flex-wrap items-end gap-2">
      <label className="text-sm">
        <span className="block font-medium">{t('access.grant.revokeReason')}</span>
        <input value={comment} onChange={(e) => setComment(e.target.value)} maxLength={1000} className="rounded-md border border-border bg-surface px-2 py-1.5" />
      </label>
      <Button variant="danger" disabled={pending} onClick={() => call({ grantId, comment })}>
        {t('access.grant.revoke')}
      </Button>
      {error ? (
        <p role="alert" className="w-full text-sm text-danger">
          {error.fields?.comment ?? error.message}
        </p>
      ) : null}
    </div>
  );
}
