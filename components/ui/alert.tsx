import type { ReactNode } from 'react';
import { cn } from '@/components/ui/cn';

const TONES = {
  danger: { box: 'rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900', inline: 'text-sm text-danger' },
  warn: { box: 'rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-warn', inline: 'text-sm text-warn' },
} as const;

/**
 * The one announced notice (role="alert") of a page or a panel that is not a form's refusal (that is
 * FormError): a source that could not be read, a live view that stopped updating, a query that was
 * partly ignored. `box` sets it apart; the default sits inline in the text. Nothing is rendered
 * without a message. `as` keeps the element the surrounding markup needs (a `<dd>` in a list, a
 * `<div>` around blocks).
 */
export function Alert({
  children,
  tone = 'danger',
  box = false,
  as: Tag = 'p',
  id,
  className,
  testId,
}: {
  children?: ReactNode;
  tone?: keyof typeof TONES;
  box?: boolean;
  as?: 'p' | 'div' | 'span' | 'dd';
  id?: string;
  className?: string;
  testId?: string;
}) {
  if (children === null || children === undefined || children === false || children === '') return null;
  return (
    <Tag role="alert" id={id} data-testid={testId} className={cn(TONES[tone][box ? 'box' : 'inline'], className)}>
      {children}
    </Tag>
  );
}
