'use client';

import { createContext, useContext, type ComponentProps, type ReactNode } from 'react';
import { cn } from '@/components/ui/cn';

/** What a Field tells the control inside it: its id, what describes it, and whether it is invalid. */
interface FieldContext {
  id: string;
  describedBy: string | undefined;
  invalid: boolean;
}

const FieldContext = createContext<FieldContext | null>(null);

const controlClass = 'w-full rounded-md border border-border bg-surface px-3 py-2 text-sm aria-[invalid=true]:border-danger';

/**
 * One labelled control: the label, an optional hint and the field's error, with the control inside
 * (Input, Select or Textarea) wired to them: `id`, `aria-describedby` (hint, then error) and
 * `aria-invalid` come from here, so a form cannot forget them. The error is announced (role="alert").
 */
export function Field({
  id,
  label,
  hint,
  error,
  className,
  children,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  className?: string;
  children: ReactNode;
}) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={cn('space-y-1', className)}>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <FieldContext.Provider value={{ id, describedBy, invalid: Boolean(error) }}>{children}</FieldContext.Provider>
      {hint ? (
        <p id={hintId} className="text-xs text-muted">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} role="alert" className="text-sm text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/**
 * The props a control inside a Field takes from it (its own props win, except that descriptions add
 * up). The name defaults to the id; `name={undefined}` given on purpose keeps a control out of the
 * posted form (a read-only value the server sets itself).
 */
function useFieldProps(props: { id?: string; name?: string; 'aria-describedby'?: string; 'aria-invalid'?: ComponentProps<'input'>['aria-invalid'] }) {
  const field = useContext(FieldContext);
  const describedBy = [field?.describedBy, props['aria-describedby']].filter(Boolean).join(' ') || undefined;
  const id = props.id ?? field?.id;
  return {
    id,
    name: 'name' in props ? props.name : id,
    'aria-describedby': describedBy,
    'aria-invalid': props['aria-invalid'] ?? (field?.invalid ? true : undefined),
  };
}

/** A text-like input; inside a Field it is labelled and described by it. */
export function Input({ className, ...props }: ComponentProps<'input'>) {
  return <input {...props} {...useFieldProps(props)} className={cn(controlClass, className)} />;
}

/** A select; inside a Field it is labelled and described by it. */
export function Select({ className, ...props }: ComponentProps<'select'>) {
  return <select {...props} {...useFieldProps(props)} className={cn(controlClass, className)} />;
}

/** A textarea; inside a Field it is labelled and described by it. */
export function Textarea({ className, ...props }: ComponentProps<'textarea'>) {
  return <textarea {...props} {...useFieldProps(props)} className={cn(controlClass, className)} />;
}

/** A checkbox with its label beside it (the label wraps it, so clicking the text toggles it). */
export function Checkbox({ label, className, ...props }: Omit<ComponentProps<'input'>, 'type'> & { label: ReactNode }) {
  return (
    <label className={cn('flex items-center gap-2 text-sm', className)}>
      <input type="checkbox" {...props} />
      {label}
    </label>
  );
}

/** A radio button with its label beside it; a group of them sits in a fieldset with a legend. */
export function Radio({ label, className, ...props }: Omit<ComponentProps<'input'>, 'type'> & { label: ReactNode }) {
  return (
    <label className={cn('flex items-center gap-2 text-sm', className)}>
      <input type="radio" {...props} />
      {label}
    </label>
  );
}
