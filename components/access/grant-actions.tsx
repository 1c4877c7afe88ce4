'use client';

import { useState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { Field, Input } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { useActionCall } from '@/components/use-action-call';
import type { ActionResult } from '@/lib/action-result';

type EndGrant = (input: { grantId: string; comment: string }) => Promise<ActionResult>;

/** The holder's "give back" button: it asks first, since an ended grant cannot be resumed. */
export function GiveBackButton({ grantId, giveBack }: { grantId: string; giveBack: EndGrant }) {
  const { t } = useI18n();
  const { call, pending, error } = useActionCall(giveBack);
  return (
    <div>
      <ConfirmButton
        label={t('access.grant.giveBack')}
        question={t('grantEnd.confirmGiveBack')}
        confirmLabel={t('grantEnd.confirmYes')}
        cancelLabel={t('grantEnd.keep')}
        pending={pending}
        onConfirm={() => call({ grantId, comment: '' })}
        testId="give-back"
      />
      <FormError compact className="mt-1">
        {error?.message}
      </FormError>
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
      <Field id={`revoke-${grantId}`} label={t('access.grant.revokeReason')} error={error?.fields?.comment}>
        <Input value={comment} onChange={(e) => setComment(e.target.value)} maxLength={1000} className="w-auto px-2 py-1.5" />
      </Field>
      <Button variant="danger" disabled={pending} onClick={() => call({ grantId, comment })}>
        {t('access.grant.revoke')}
      </Button>
      <FormError compact className="w-full">
        {error && !error.fields?.comment ? error.message : null}
      </FormError>
    </div>
  );
}

type ShortenGrant = (input: { grantId: string; endsAt: string; comment: string }) => Promise<ActionResult>;

/** Moves the end earlier: "end in N minutes" (the holder, or security). */
export function ShortenForm({ grantId, shorten }: { grantId: string; shorten: ShortenGrant }) {
  const { t } = useI18n();
  const [minutes, setMinutes] = useState('15');
  const { call, pending, error } = useActionCall(shorten);
  const submit = () => {
    const n = Number(minutes);
    // The server validates the time; an unreadable number is sent as-is so that its message shows.
    const endsAt = Number.isFinite(n) ? new Date(Date.now() + n * 60_000).toISOString() : minutes;
    void call({ grantId, endsAt, comment: '' });
  };
  return (
    <div className="flex flex-wrap items-end gap-2">
      <Field id={`shorten-${grantId}`} label={t('access.grant.shortenMinutes')} error={error?.fields?.endsAt}>
        <Input type="number" min={1} step={1} value={minutes} onChange={(e) => setMinutes(e.target.value)} className="w-24 px-2 py-1.5" />
      </Field>
      <Button variant="secondary" disabled={pending} onClick={submit}>
        {t('access.grant.shorten')}
      </Button>
      <FormError compact className="w-full">
        {error && !error.fields?.endsAt ? error.message : null}
      </FormError>
    </div>
  );
}
