import type { ReactNode } from 'react';
import { Alert } from '@/components/ui/alert';

/**
 * The one alert a form or an action button shows when the server (or the client's check) refused:
 * announced at once (role="alert"), nothing rendered when there is nothing to say. `compact` is the
 * inline form beside a button; the default is the boxed form under a whole form. `id` lets a group
 * of choices (a fieldset) point at it with aria-describedby.
 */
export function FormError({
  children,
  compact = false,
  id,
  className,
  testId,
}: {
  children?: ReactNode;
  compact?: boolean;
  id?: string;
  className?: string;
  testId?: string;
}) {
  return (
    <Alert tone="danger" box={!compact} id={id} className={className} testId={testId}>
      {children}
    </Alert>
  );
}
