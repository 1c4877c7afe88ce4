import type { ReactNode } from 'react';
import { cn } from '@/components/ui/cn';

/**
 * The one alert a form or an action button shows when the server (or the client's check) refused:
 * announced at once (role="alert"), nothing rendered when there is nothing to say. `compact` is the
 * inline form beside a button; the default is the boxed form under a whole form.
 */
export function FormError({ children, compact = false, className, testId }: { children?: ReactNode; compact?: boolean; className?: string; testId?: string }) {
  if (children === null || children === undefined || children === false || children === '') return null;
  return (
    <p
      role="alert"
      data-testid={testId}
      className={cn(compact ? 'text-sm text-danger' : 'rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900', className)}
    >
      {children}
    </p>
  );
}
