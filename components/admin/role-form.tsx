'use client';

import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { useActionCall } from '@/components/use-action-call';
import type { ActionResult } from '@/lib/action-result';
import { APP_ROLES, type AppRole } from '@/lib/identity/actor';
import { updateRolesSchema } from '@/lib/identity/schemas';

/** Checkboxes for a user's roles, saved through the given server action (checked first with its schema). */
export function RoleForm({
  userId,
  userName,
  roles,
  action,
}: {
  userId: string;
  userName: string;
  roles: AppRole[];
  action: (form: FormData) => Promise<ActionResult>;
}) {
  const { t } = useI18n();
  const { call, pending, result, error } = useActionCall(action, { schema: updateRolesSchema, invalidMessage: t('forms.invalid') });
  const errorId = `roles-error-${userId}`;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        call(new FormData(event.currentTarget));
      }}
      className="flex flex-wrap items-center gap-3"
      aria-label={t('admin.rolesFor', { name: userName })}
    >
      <input type="hidden" name="userId" value={userId} />
      <fieldset className="flex flex-wrap gap-3" aria-describedby={error ? errorId : undefined} aria-invalid={error ? true : undefined}>
        <legend className="sr-only">{t('admin.rolesFor', { name: userName })}</legend>
        {APP_ROLES.map((role) => (
          <Checkbox key={role} name="roles" value={role} defaultChecked={roles.includes(role)} label={t(`role.${role}`)} className="gap-1" />
        ))}
      </fieldset>
      <Button type="submit" size="sm" variant="secondary" disabled={pending}>
        {t('admin.save')}
      </Button>
      <span aria-live="polite" className="text-sm">
        {result?.ok ? (
          <span className="text-ok">{(result.data as { proposed?: boolean } | null)?.proposed ? t('controlPlane.proposed') : t('admin.saved')}</span>
        ) : null}
      </span>
      <FormError compact>{error ? <span id={errorId}>{error.fields?.roles ?? error.message}</span> : null}</FormError>
    </form>
  );
}
