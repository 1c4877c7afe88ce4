'use client';

import { useId, useState, type ComponentProps } from 'react';
import { Button } from '@/components/ui/button';

/**
 * A button for an action that cannot be undone: the first click asks, in place, and only "confirm"
 * runs it. Keyboard and screen readers get the question as a labelled group with focus on confirm.
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  cancelLabel,
  onConfirm,
  pending = false,
  variant = 'secondary',
  testId,
}: {
  label: string;
  question: string;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm: () => void;
  pending?: boolean;
  variant?: ComponentProps<typeof Button>['variant'];
  testId?: string;
}) {
  const [asking, setAsking] = useState(false);
  const questionId = useId();
  if (!asking) {
    return (
      <Button variant={variant} disabled={pending} onClick={() => setAsking(true)} data-testid={testId}>
        {label}
      </Button>
    );
  }
  return (
    <div
      role="group"
      aria-labelledby={questionId}
      className="flex flex-wrap items-center gap-2 rounded-md border border-amber-300 bg-amber-50 p-2"
      data-testid={testId ? `${testId}-confirm` : undefined}
    >
      <span id={questionId} className="text-sm font-medium text-amber-950">
        {question}
      </span>
      <Button
        variant={variant === 'secondary' ? 'primary' : variant}
        size="sm"
        disabled={pending}
        autoFocus
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </Button>
      <Button variant="ghost" size="sm" disabled={pending} onClick={() => setAsking(false)}>
        {cancelLabel}
      </Button>
    </div>
  );
}
