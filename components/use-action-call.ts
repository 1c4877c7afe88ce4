'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition, type FocusEvent, type FormEvent } from 'react';
import { fieldMessages, formDataToObject, type ActionResult } from '@/lib/action-result';

/**
 * What the hook needs of a form's schema: its own `safeParse` (zod and zod/mini schemas both have it).
 * The hook calls the schema's method and imports nothing of zod, so a page whose actions check no
 * form does not load zod (docs/decisions/052-page-weight-budget.md).
 */
export interface FormSchema {
  safeParse(input: unknown): { success: true } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

interface Options<I, T> {
  /** Re-render the page's server data after a success (default) — and after a refusal with `refreshOnError`. */
  refresh?: boolean;
  refreshOnError?: boolean;
  /** Runs after a success, before the refresh (navigate, invalidate queries, reset the form…). */
  onSuccess?: (data: T) => void | Promise<void>;
  /**
   * The server action's own zod schema (lib/<domain>/schemas.ts): the input is checked with it in the
   * browser first, so field errors show before a round trip; the server still checks it again.
   */
  schema?: FormSchema;
  /** The message above the field errors when the browser's check refuses the input. */
  invalidMessage?: string;
  /** Turns what the form holds into what is sent (and checked), e.g. a local time into ISO with its offset. */
  prepare?: (input: I) => I;
}

/**
 * The one way a client component calls a server action (docs/decisions/053-form-layer.md): tracks
 * pending, keeps the last result and its field errors, checks a form with the action's schema
 * before sending it, and re-renders the page's server data after a success.
 */
export function useActionCall<I, T = unknown>(action: (input: I) => Promise<ActionResult<T>>, options: Options<I, T> = {}) {
  const { refresh = true, refreshOnError = false, onSuccess, schema, invalidMessage = 'Some fields are not valid.', prepare } = options;
  const router = useRouter();
  const [result, setResult] = useState<ActionResult<T> | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [pending, startTransition] = useTransition();

  /** The schema's field messages for the input, or null when it passes (or there is no schema). */
  const check = (input: I): Record<string, string> | null => {
    if (!schema) return null;
    const parsed = schema.safeParse(input instanceof FormData ? formDataToObject(input) : input);
    return parsed.success ? null : fieldMessages(parsed.error.issues);
  };

  const call = (raw: I) => {
    const input = prepare ? prepare(raw) : raw;
    const refused = check(input);
    if (refused) {
      setFields(refused);
      setResult({ ok: false, error: { code: 'BAD_REQUEST', message: invalidMessage, fields: refused } });
      return;
    }
    startTransition(async () => {
      setResult(null);
      const res = await action(input);
      setResult(res);
      setFields(res.ok ? {} : (res.error.fields ?? {}));
      if (res.ok) await onSuccess?.(res.data);
      if ((res.ok && refresh) || (!res.ok && refreshOnError)) router.refresh();
    });
  };

  /** Re-checks the form and sets (or clears) the error of one field; `onlyIfShown` leaves fields without an error alone. */
  const recheck = (form: HTMLFormElement, name: string, onlyIfShown: boolean) => {
    const data = new FormData(form);
    const refused = check(prepare ? prepare(data as I) : (data as I)) ?? {};
    const mine = (key: string) => key === name || key.startsWith(`${name}.`);
    setFields((prev) => {
      if (onlyIfShown && !Object.keys(prev).some(mine)) return prev;
      const next = { ...prev };
      for (const key of Object.keys(next)) if (mine(key)) delete next[key];
      for (const [key, message] of Object.entries(refused)) if (mine(key)) next[key] = message;
      return next;
    });
  };

  const fieldName = (target: EventTarget) => {
    const name = (target as { name?: unknown }).name;
    return schema && typeof name === 'string' && name !== '' ? name : null;
  };

  /**
   * A form's onBlur: shows the error of the field just left, so a mistake shows before any submit.
   * Not when focus goes to a button of the form: the click that follows submits (and checks
   * everything), and an error line appearing under the pointer would move the button away.
   */
  const onBlur = (event: FocusEvent<HTMLFormElement>) => {
    const name = fieldName(event.target);
    const next = event.relatedTarget;
    if (!name || (next instanceof HTMLButtonElement && event.currentTarget.contains(next))) return;
    recheck(event.currentTarget, name, false);
  };

  /** A form's onChange: a field showing an error is re-checked as it is corrected, so the error goes as soon as it is fixed. */
  const onChange = (event: FormEvent<HTMLFormElement>) => {
    const name = fieldName(event.target);
    if (name) recheck(event.currentTarget, name, true);
  };

  /** The error of a field; nested issues (policy.0.actions.1) are shown on their field with their path. */
  const errorFor = (name: string): string | undefined => {
    if (fields[name]) return fields[name];
    const nested = Object.keys(fields).find((key) => key.startsWith(`${name}.`));
    return nested ? `${nested}: ${fields[nested]}` : undefined;
  };

  return { call, pending, result, error: result && !result.ok ? result.error : null, fields, errorFor, onBlur, onChange };
}
