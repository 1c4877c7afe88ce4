import type { ReactNode } from 'react';

/** An edit disclosure for one table row: a native <details>, so it works before hydration too. */
export function EditDisclosure({ label, target, children }: { label: string; target: string; children: ReactNode }) {
  return (
    <details className="mt-1">
      <summary className="cursor-pointer text-sm text-primary underline">
        {label}
        <span className="sr-only"> {target}</span>
      </summary>
      <div className="mt-2">{children}</div>
    </details>
  );
}
