'use client';

import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { Checkbox, Field, Input } from '@/components/ui/field';
import { FormError } from '@/components/ui/form-error';
import { useActionCall } from '@/components/use-action-call';
import type { ActionResult } from '@/lib/action-result';
import { TOKEN_SCOPES } from '@/lib/identity/actor';
import { createTokenSchema } from '@/lib/tokens/schemas';

type Created = { token: string; name: string };

/** The token form; after creating, shows the token once with how to sign the CLI in. */
export function CreateTokenForm({
  action,
  maxDays,
  defaultDays,
  portalUrl,
}: {
  action: (form: FormData) => Promise<ActionResult<Created>>;
  maxDays: number;
  defaultDays: number;
  portalUrl: string;
}) {
  const { t } = useI18n();
  const { call, pending, result, error, fields, onBlur, onChange } = useActionCall(action, { schema: createTokenSchema, invalidMessage: t('forms.invalid') });
  return (
    <div className="space-y-4">
      <form
        noValidate
        onBlur={onBlur}
        onChange={onChange}
        onSubmit={(event) => {
          event.preventDefault();
          call(new FormData(event.currentTarget));
        }}
        aria-label={t('tokens.form')}
        className="grid gap-3 sm:max-w-xl"
      >
        <Field id="token-name" label={t('tokens.name')} error={fields.name}>
          <Input name="name" required maxLength={64} placeholder={t('tokens.namePlaceholder')} className="px-2 py-1" />
        </Field>
        <fieldset className="grid gap-1 text-sm" aria-describedby={fields.scopes ? 'token-scopes-error' : undefined}>
          <legend>{t('tokens.scopes')}</legend>
          {TOKEN_SCOPES.map((scope) => (
            <Checkbox
              key={scope}
              name="scopes"
              value={scope}
              defaultChecked={scope !== 'decide'}
              label={
                <>
                  <span className="font-mono">{t(`tokens.scope.${scope}`)}</span>
                  <span className="text-muted">— {t(`tokens.scopeHelp.${scope}`)}</span>
                </>
              }
            />
          ))}
          <FormError compact id="token-scopes-error">
            {fields.scopes}
          </FormError>
        </fieldset>
        <Field id="token-days" label={t('tokens.expiresInDays', { max: maxDays })} error={fields.expiresInDays}>
          <Input name="expiresInDays" type="number" min={1} max={maxDays} defaultValue={defaultDays} required className="w-24 px-2 py-1" />
        </Field>
        <div>
          <Button type="submit" disabled={pending}>
            {t('tokens.create.submit')}
          </Button>
        </div>
        <FormError compact>{error?.message}</FormError>
      </form>
      {result?.ok ? (
        <div role="status" className="space-y-2 rounded border border-ok bg-green-50 p-3 text-sm">
          <p className="font-medium">{t('tokens.created.once')}</p>
          <code data-testid="new-token" className="block break-all rounded bg-slate-100 p-2 font-mono text-xs">
            {result.data.token}
          </code>
          <p>{t('tokens.created.cli')}</p>
          <pre className="overflow-x-auto rounded bg-slate-100 p-2 text-xs">{`npx gatehouse login --url ${portalUrl}`}</pre>
        </div>
      ) : null}
    </div>
  );
}
