'use client';

import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/form-error';
import { useActionCall } from '@/components/use-action-call';
import type { ActionResult } from '@/lib/action-result';

/** Revokes one token through the given server action; says so, or why not. */
export function RevokeTokenButton({ tokenId, name, action }: { tokenId: string; name: string; action: (form: FormData) => Promise<ActionResult> }) {
  const { t } = useI18n();
  const { call, pending, result, error } = useActionCall(action);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        call(new FormData(event.currentTarget));
      }}
      className="flex items-center gap-2"
    >
      <input type="hidden" name="tokenId" value={tokenId} />
      <Button type="submit" size="sm" variant="danger" disabled={pending} aria-label={t('tokens.revokeLabel', { name })}>
        {t('tokens.revoke')}
      </Button>
      <span aria-live="polite" className="text-sm">
        {result?.ok ? <span className="text-ok">{t('tokens.revoked')}</span> : null}
      </span>
      <FormError compact>{error?.message}</FormError>
    </form>
  );
}
