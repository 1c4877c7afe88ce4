import type { Translate } from '@/lib/i18n/messages';

/** A number of seconds as people read a wait: 45 s, 12 min, 3 h 5 min; an em dash when there is none. */
export function formatDuration(seconds: number | null, t: Translate): string {
  if (seconds === null) return '—';
  if (seconds < 60) return t('reports.unit.s', { n: Math.round(seconds) });
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return t('reports.unit.min', { n: minutes });
  return t('reports.unit.h', { h: Math.floor(minutes / 60), m: minutes % 60 });
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
