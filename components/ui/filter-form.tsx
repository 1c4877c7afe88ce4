import Link from 'next/link';
import type { ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';

/**
 * A list page's filter form: GET to the page itself, so a filtered view is a link that can be shared
 * and the page's server code parses it with the list's zod schema (bad values are refused there, not
 * here). It is a named form; "clear" goes back to the page without a query string.
 */
export function FilterForm({
  action,
  label,
  applyLabel,
  clearLabel,
  className,
  footer,
  children,
}: {
  /** The page's path (also the "clear" link). */
  action: string;
  /** The form's accessible name. */
  label: string;
  applyLabel: string;
  clearLabel?: string;
  className?: string;
  /** Text beside the buttons (for example the zone the times are read in). */
  footer?: ReactNode;
  children: ReactNode;
}) {
  return (
    <form method="get" action={action} aria-label={label} className={cn('flex flex-wrap items-end gap-3 text-sm', className)}>
      {children}
      <div className="flex flex-wrap items-center gap-3 [grid-column:1/-1]">
        <Button type="submit" size="sm">
          {applyLabel}
        </Button>
        {clearLabel ? (
          <Link href={action} className="text-primary underline">
            {clearLabel}
          </Link>
        ) : null}
        {footer ? <span className="text-xs text-muted">{footer}</span> : null}
      </div>
    </form>
  );
}
