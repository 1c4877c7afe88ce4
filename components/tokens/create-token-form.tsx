'use client';

import { useActionState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { Button } from '@/components/ui/button';
import { TOKEN_SCOPES } from '@/lib/identity/actor';

type Created = { token: string; name: string };
type Result = { ok: true; data: Created } | { ok: false; error: { message: string; fields?: Record<string, string> } } | null;

/** The token form; after creating, shows the token once with how to sign the CLI in. */
export function CreateTokenForm({
  action,
  maxDays,
  defaultDays,
  portalUrl,
}: {
  action: (form: FormData) => Promise<Exclude<Result, null>>;
  maxDays: number;
  defaultDays: number;
  portalUrl: string;
}) {
  const { t } = useI18n();
  const [result, submit, pending] = useActionState<Result, FormData>((_prev, form) => action(form), null);
  const fields = result && !result.ok ? (result.error.fields ?? {}) : {};
  return (
    <div className="space-y-4">
      <form action={submit} aria-label={t('tokens.form')} className="grid gap-3 sm:max-w-xl">
        <label className="grid gap-1 text-sm">
          {t('tokens.name')}
          <input name="name" required maxLength={64} placeholder={t('tokens.namePlaceholder')} className="rounded border border-border px-2 py-1" />
          {fields.name ? <span className="text-danger">{fields.name}</span> : null}
        </label>
        <fieldset className="grid gap-1 text-sm">
          <legend>{t('tokens.scopes')}</legend>
          {TOKEN_SCOPES.map((scope) => (
            <label key={scope} className="flex items-center gap-2">
              <input type="checkbox" name="scopes" value={scope} defaultChecked={scope !== 'decide'} />
              <span className="font-mono">{t(`tokens.scope.${scope}`)}</span>
              <span className="text-muted">— {t(`tokens.scopeHelp.${scope}`)}</span>
            </label>
          ))}
          {fields.scopes ? <span className="text-danger">{fields.scopes}</span> : null}
        </fieldset>
        <label className="grid gap-1 text-sm">
          {t('tokens.expiresInDays', { max: maxDays })}
          <input
            name="expiresInDays"
            type="number"
            min={1}
            max={maxDays}
            defaultValue={defaultDays}
            required
            className="w-24 rounded border border-border px-2 py-1"
          />
          {fields.expiresInDays ? <span className="text-danger">{fields.expiresInDays}</span> : null}
        </label>
        <div>
          <Button type="submit" disabled={pending}>
            {t('tokens.create.submit')}
          </Button>
        </div>
        {result && !result.ok ? (
          <p role="alert" className="text-sm text-danger">
            {result.error.message}
          </p>
        ) : null}
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
