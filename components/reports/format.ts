import { formatDuration as formatSeconds } from '@/lib/i18n/format';
import type { Translate } from '@/lib/i18n/messages';

/**
 * A wait as people read it, through the one formatting module (docs/decisions/048-time-zone-policy.md):
 * seconds under a minute, else to the minute (12 min, 3 h 5 min, 2 d 1 h); an em dash when there is none.
 */
export function formatDuration(seconds: number | null, t: Translate): string {
  if (seconds === null) return '—';
  return formatSeconds(seconds < 60 ? seconds : Math.round(seconds / 60) * 60, t.locale);
}

/** The unit a chart of waits reads best in: seconds while the longest is under two minutes. */
export function chartUnit(longestSeconds: number): 's' | 'min' {
  return longestSeconds < 120 ? 's' : 'min';
}

/** Seconds in a chart's unit, with one decimal. */
export function inUnit(seconds: number | null, unit: 's' | 'min'): number {
  if (seconds === null) return 0;
  return Math.round((unit === 's' ? seconds : seconds / 60) * 10) / 10;
}
