'use client';

import { useNow } from '@/components/alarms/use-clock';
import { useI18n } from '@/components/i18n-provider';

/** "1:05:09" / "4:59": the time left, to the second. */
export function formatLeft(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/**
 * The time left until `endsAt`, ticking each second. The server's render uses `serverNow`, and so
 * does the first render in the browser (no hydration mismatch); the browser's clock takes over after.
 */
export function Countdown({ endsAt, serverNow }: { endsAt: string; serverNow: string }) {
  const { t } = useI18n();
  const now = useNow(1_000) || Date.parse(serverNow);
  const left = Date.parse(endsAt) - now;
  return (
    <span className="font-mono tabular-nums" data-testid="grant-countdown" role="timer" aria-live="off">
      {left > 0 ? t('grantUse.left', { time: formatLeft(left) }) : t('grantUse.over')}
    </span>
  );
}
