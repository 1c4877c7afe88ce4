'use client';

import { useActionState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';

type Result = { ok: true; data: unknown } | { ok: false; error: { message: string; fields?: Record<string, string> } } | null;

/** The IAM user or role ARN a user's grants attach to. */
export function PrincipalForm({
  userId,
  userName,
  arn,
  action,
}: {
  userId: string;
  userName: string;
  arn: string | null;
  action: (form: FormData) => Promise<Exclude<Result, null>>;
}) {
  const { t } = useI18n();
  const [result, submit, pending] = useActionState<Result, FormData>((_prev, form) => action(form), null);
  const id = `principal-${userId}`;
  return (
    <form action={submit} className="flex flex-wrap items-center gap-2" aria-label={t('admin.principalFor', { name: userName })}>
      <input type="hidden" name="userId" value={userId} />
      <label htmlFor={id} className="sr-only">
        {t('admin.principalFor', { name: userName })}
      </label>
      <input
        id={id}
        name="arn"
        defaultValue={arn ?? ''}
        placeholder="arn:aws:iam::123456789012:user/name"
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
