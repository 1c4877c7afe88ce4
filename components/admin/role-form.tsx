'use client';

import { useActionState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { APP_ROLES, type AppRole } from '@/lib/identity/actor';

type Result = { ok: true; data: unknown } | { ok: false; error: { message: string; fields?: Record<string, string> } } | null;

/** Checkboxes for a user's roles, saved through the given server action. */
export function RoleForm({
  userId,
  userName,
  roles,
  action,
}: {
  userId: string;
  userName: string;
  roles: AppRole[];
  action: (form: FormData) => Promise<Exclude<Result, null>>;
}) {
  const { t } = useI18n();
  const [result, submit, pending] = useActionState<Result, FormData>((_prev, form) => action(form), null);
  const errorId = `roles-error-${userId}`;
  return (
    <form action={submit} className="flex flex-wrap items-center gap-3" aria-label={t('admin.rolesFor', { name: userName })}>
      <input type="hidden" name="userId" value={userId} />
      <fieldset className="flex flex-wrap gap-3" aria-describedby={result && !result.ok ? errorId : undefined}>
        <legend className="sr-only">{t('admin.rolesFor', { name: userName })}</legend>
        {APP_ROLES.map((role) => (
          <label key={role} className="flex items-center gap-1 text-sm">
            <input type="checkbox" name="roles" value={role} defaultChecked={roles.includes(role)} />
            {t(`role.${role}`)}
          </label>
        ))}
      </fieldset>
      <Button type="submit" size="sm" variant="secondary" disabled={pending}>
        {t('admin.save')}
      </Button>
      <span aria-live="polite" className="text-sm">
        {result?.ok ? (
          <span className="text-ok">{(result.data as { proposed?: boolean } | null)?.proposed ? t('controlPlane.proposed') : t('admin.saved')}</span>
        ) : null}
        {result && !result.ok ? (
          <span id={errorId} role="alert" className="text-danger">
            {result.error.fields?.roles ?? result.error.message}
          </span>
        ) : null}
      </span>
    </form>
  );
}
