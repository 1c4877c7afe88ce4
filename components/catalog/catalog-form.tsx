'use client';

import { useRef, type FormEvent } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { useActionCall, type FormSchema } from '@/components/use-action-call';
import type { ActionResult } from '@/lib/action-result';

/** What a catalog save answers: whether anything changed, or was proposed for a second approver. */
export type CatalogSaved = { changed: boolean; proposed?: boolean };
export type CatalogAction = (form: FormData) => Promise<ActionResult<CatalogSaved>>;

/**
 * Submits a catalog form to its server action through useActionCall, checked first with the action's
 * schema, keeping what was typed when it is refused. A CONFLICT is shown next to `conflictField`.
 */
export function useCatalogForm(
  action: CatalogAction,
  { schema, conflictField, onSaved }: { schema: FormSchema; conflictField?: string; onSaved?: (form: HTMLFormElement) => void },
) {
  const { t } = useI18n();
  const formRef = useRef<HTMLFormElement | null>(null);
  const {
    call,
    pending,
    result,
    error,
    errorFor: fieldError,
    onBlur,
    onChange,
  } = useActionCall(action, {
    schema,
    invalidMessage: t('forms.invalid'),
    onSuccess: () => {
      if (formRef.current) onSaved?.(formRef.current);
    },
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    formRef.current = event.currentTarget;
    call(new FormData(event.currentTarget));
  };

  const conflictShown = error?.code === 'CONFLICT' && Boolean(conflictField);
  const errorFor = (name: string): string | undefined => (conflictShown && name === conflictField ? error?.message : fieldError(name));

  return { onSubmit, onBlur, onChange, pending, result, errorFor, formError: error && !conflictShown ? error.message : null };
}

/** The save button's neighbour: "Saved." or the action's message, announced politely. */
export function FormStatus({ result, formError }: { result: ActionResult<CatalogSaved> | null; formError: string | null }) {
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
