'use client';

import { useI18n } from '@/components/i18n-provider';
import { AwsAccount } from '@/components/cloud/aws-account';
import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/form-error';
import { Input } from '@/components/ui/field';
import { useActionCall } from '@/components/use-action-call';
import type { ActionResult } from '@/lib/action-result';
import type { AccountRef } from '@/lib/cloud/accounts';
import { setPrincipalSchema } from '@/lib/identity/schemas';

/** The IAM user or role ARN a user's grants attach to in one account (empty removes it). */
export function PrincipalForm({
  userId,
  userName,
  account,
  showAccount,
  arn,
  action,
}: {
  userId: string;
  userName: string;
  account: AccountRef & { accountId: string };
  /** With several accounts, each form names its account. */
  showAccount: boolean;
  arn: string | null;
  action: (form: FormData) => Promise<ActionResult>;
}) {
  const { t } = useI18n();
  const { call, pending, result, error } = useActionCall(action, { schema: setPrincipalSchema, invalidMessage: t('forms.invalid') });
  const id = `principal-${userId}-${account.accountId}`;
  const label = showAccount
    ? t('admin.principalForIn', { name: userName, account: account.alias ?? account.accountId })
    : t('admin.principalFor', { name: userName });
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        call(new FormData(event.currentTarget));
      }}
      className="flex flex-wrap items-center gap-2"
      aria-label={label}
    >
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="accountId" value={account.accountId} />
      {showAccount ? <AwsAccount account={account} className="w-44 truncate font-mono text-xs text-slate-600" /> : null}
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <Input
        id={id}
        name="arn"
        defaultValue={arn ?? ''}
        placeholder={`arn:aws:iam::${account.accountId}:user/name`}
        className="w-80 px-2 py-1 font-mono text-xs"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <Button type="submit" size="sm" variant="secondary" disabled={pending}>
        {t('admin.savePrincipal')}
      </Button>
      <span aria-live="polite" className="text-sm">
        {result?.ok ? <span className="text-ok">{t('admin.saved.principal')}</span> : null}
      </span>
      <FormError compact>{error ? <span id={`${id}-error`}>{error.fields?.arn ?? error.message}</span> : null}</FormError>
    </form>
  );
}
