import type { ReactNode } from 'react';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';

/** One card of the home page: a title with an optional count and link, and its content or its own error. */
export function HomeSection({
  title,
  count,
  action,
  error,
  testId,
  children,
}: {
  title: string;
  count?: number | null;
  action?: ReactNode;
  /** This part failed (an AWS error, a timeout): said here, while the rest of the page works. */
  error?: string | null;
  testId: string;
  children?: ReactNode;
}) {
  return (
    // min-w-0: a grid item is otherwise as wide as its widest line (a CLI command), past the screen's edge.
    <Card data-testid={testId} aria-label={title} className="min-w-0">
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="text-base font-semibold">
          {title}
          {count !== undefined && count !== null ? (
            <span className="ml-2 rounded-full bg-slate-100 px-2 py-0.5 text-sm font-semibold text-fg" data-testid={`${testId}-count`}>
              {count}
            </span>
          ) : null}
        </h3>
        {action}
      </div>
      <Alert testId={`${testId}-error`}>{error}</Alert>
      {children}
    </Card>
  );
}

/** The sections of one role, under its heading. */
export function RoleSections({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <section aria-label={title} data-testid={testId} className="space-y-3">
      <h2 className="text-lg font-semibold">{title}</h2>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">{children}</div>
    </section>
  );
}
