'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition, type FormEvent, type ReactNode } from 'react';
import { useI18n } from '@/components/i18n-provider';

/** What the catalog's server actions answer (lib/server/http/action.ts). */
export type CatalogActionResult =
  { ok: true; data: { changed: boolean; proposed?: boolean } } | { ok: false; error: { code: string; message: string; fields?: Record<string, string> } };

export type CatalogAction = (form: FormData) => Promise<CatalogActionResult>;

export const inputClass = 'w-full rounded-md border border-border bg-surface px-3 py-2 text-sm aria-[invalid=true]:border-danger';

/** The props that tie an input to its label, hint and error. */
export interface ControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

/** A labelled input with an optional hint and its field error below it. */
export function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: (props: ControlProps) => ReactNode;
}) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {children({ id, ...(describedBy ? { 'aria-describedby': describedBy } : {}), ...(error ? { 'aria-invalid': true } : {}) })}
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-muted">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="text-sm text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/**
 * Submits a catalog form to its server action and keeps what was typed when the action refuses it
 * (a plain `<form action>` would reset the fields). A CONFLICT is shown next to `conflictField`.
 */
export function useCatalogForm(action: CatalogAction, { conflictField, onSaved }: { conflictField?: string; onSaved?: (form: HTMLFormElement) => void } = {}) {
  const router = useRouter();
  const [result, setResult] = useState<CatalogActionResult | null>(null);
  const [pending, startTransition] = useTransition();

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    startTransition(async () => {
      const res = await action(data);
      setResult(res);
      if (res.ok) {
        onSaved?.(form);
        router.refresh();
      }
    });
  };

  const fields: Record<string, string> = {};
  let conflictShown = false;
  if (result && !result.ok) {
    Object.assign(fields, result.error.fields);
    if (result.error.code === 'CONFLICT' && conflictField) {
      fields[conflictField] = result.error.message;
      conflictShown = true;
    }
  }

  /** The error of a field; nested issues (policy.0.actions.1) are shown on their field with their path. */
  const errorFor = (name: string): string | undefined => {
    if (fields[name]) return fields[name];
    const nested = Object.keys(fields).find((key) => key.startsWith(`${name}.`));
    return nested ? `${nested}: ${fields[nested]}` : undefined;
  };

  return { onSubmit, pending, result, errorFor, formError: result && !result.ok && !conflictShown ? result.error.message : null };
}

/** The save button's neighbour: "Saved." or the action's message, announced politely. */
export function FormStatus({ result, formError }: { result: CatalogActionResult | null; formError: string | null }) {
  const { t } = useI18n();
  return (
    <p role="status" className="text-sm">
      {result?.ok ? (
        <span className="text-ok">
          {result.data.proposed ? t('controlPlane.proposed') : result.data.changed ? t('access.catalog.saved') : t('access.catalog.unchanged')}
        </span>
      ) : null}
      {formError ? <span className="text-danger">{formError}</span> : null}
    </p>
  );
}
