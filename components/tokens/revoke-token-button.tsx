'use client';

import { useActionState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';

type Result = { ok: true; data: unknown } | { ok: false; error: { message: string } } | null;

/** Revokes one token through the given server action; says so, or why not. */
export function RevokeTokenButton({ tokenId, name, action }: { tokenId: string; name: string; action: (form: FormData) => Promise<Exclude<Result, null>> }) {
  const { t } = useI18n();
  const [result, submit, pending] = useActionState<Result, FormData>((_prev, form) => action(form), null);
  return (
    <form action={submit} className="flex items-center gap-2">
      <input type="hidden" name="tokenId" value={tokenId} />
      <Button type="submit" size="sm" variant="danger" disabled={pending} aria-label={t('tokens.revokeLabel', { name })}>
        {t('tokens.revoke')}
      </Button>
      <span aria-live="polite" className="text-sm">
        {result?.ok ? <span className="text-ok">{t('tokens.revoked')}</span> : null}
        {result && !result.ok ? (
          <span role="alert" className="text-danger">
            {result.error.message}
          </span>
        ) : null}
      </span>
    </form>
  );
}
