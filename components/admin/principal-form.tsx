'use client';

import { useActionState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { AwsAccount } from '@/components/cloud/aws-account';
import { Button } from '@/components/ui/button';
import type { AccountRef } from '@/lib/cloud/accounts';

type Result = { ok: true; data: unknown } | { ok: false; error: { message: string; fields?: Record<string, string> } } | null;

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
  action: (form: FormData) => Promise<Exclude<Result, null>>;
}) {
  const { t } = useI18n();
  const [result, submit, pending] = useActionState<Result, FormData>((_prev, form) => action(form), null);
  const id = `principal-${userId}-${account.accountId}`;
  const label = showAccount
    ? t('admin.principalForIn', { name: userName, account: account.alias ?? account.accountId })
    : t('admin.principalFor', { name: userName });
  return (
    <form action={submit} className="flex flex-wrap items-center gap-2" aria-label={label}>
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="accountId" value={account.accountId} />
      {showAccount ? <AwsAccount account={account} className="w-44 truncate font-mono text-xs text-slate-600" /> : null}
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <input
        id={id}
        name="arn"
        defaultValue={arn ?? ''}
        placeholder={`arn:aws:iam::${account.accountId}:user/name`}
        className="w-80 rounded-md border border-border bg-surface px-2 py-1 font-mono text-xs"
        aria-invalid={result && !result.ok ? true : undefined}
        aria-describedby={result && !result.ok ? `${id}-error` : undefined}
      />
      <Button type="submit" size="sm" variant="secondary" disabled={pending}>
        {t('admin.savePrincipal')}
      </Button>
      <span aria-live="polite" className="text-sm">
        {result?.ok ? <span className="text-ok">{t('admin.saved.principal')}</span> : null}
        {result && !result.ok ? (
          <span id={`${id}-error`} role="alert" className="text-danger">
            {result.error.fields?.arn ?? result.error.message}
          </span>
        ) : null}
      </span>
    </form>
  );
}
