'use client';

import { useState } from 'react';
import { useI18n } from '@/components/i18n-provider';
import { cn } from '@/components/ui/cn';

/**
 * The text shortened in the middle when longer than `max` characters: the start says what it is
 * (`arn:aws:secretsmanager:…`), the end which one it is (`…/db-password-AbCdEf`), so both survive.
 */
export function truncateMiddle(text: string, max: number): string {
  if (text.length <= max || max < 5) return text;
  const keep = max - 1;
  const head = Math.ceil(keep / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (keep - head))}`;
}

/** Copies a text to the clipboard; says "Copied" for a moment. */
export function CopyButton({ text, className }: { text: string; className?: string }) {
  const { t } = useI18n();
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className={cn('inline-flex items-center rounded p-0.5 text-xs text-muted hover:bg-slate-100 hover:text-fg', className)}
      aria-label={t('table.copy.label', { text })}
      title={t('table.copy')}
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(
          () => {
            setDone(true);
            setTimeout(() => setDone(false), 1_500);
          },
          () => undefined,
        );
      }}
    >
      {done ? (
        <span aria-hidden="true">✓</span>
      ) : (
        // Two overlapping sheets: the usual copy icon, drawn here (no icon font or package).
        <svg aria-hidden="true" viewBox="0 0 16 16" className="h-3.5 w-3.5" fill="none" stroke="currentColor" strokeWidth="1.5">
          <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" />
          <path d="M10.5 5.5V3.5A1.5 1.5 0 0 0 9 2H3.5A1.5 1.5 0 0 0 2 3.5V9a1.5 1.5 0 0 0 1.5 1.5h2" />
        </svg>
      )}
      <span className="sr-only" aria-live="polite">
        {done ? t('table.copy.done') : ''}
      </span>
    </button>
  );
}

/**
 * A long identifier (ARN, secret name, alarm name) on one line: shortened in the middle, the whole
 * text on hover and for screen readers, and a copy button. Never wraps mid-word.
 */
export function MiddleTruncate({ text, max = 48, copy = true, className }: { text: string; max?: number; copy?: boolean; className?: string }) {
  const short = truncateMiddle(text, max);
  return (
    <span className={cn('inline-flex items-center gap-1 whitespace-nowrap', className)} data-value={text}>
      {short === text ? (
        <span>{text}</span>
      ) : (
        <span title={text} data-full={text}>
          <span aria-hidden="true">{short}</span>
          <span className="sr-only">{text}</span>
        </span>
      )}
      {copy ? <CopyButton text={text} /> : null}
    </span>
  );
}
