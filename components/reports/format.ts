import type { Translate } from '@/lib/i18n/messages';

/** A number of seconds as people read a wait: 45 s, 12 min, 3 h 5 min; an em dash when there is none. */
export function formatDuration(seconds: number | null, t: Translate): string {
  if (seconds === null) return '—';
  if (seconds < 60) return t('reports.unit.s', { n: Math.round(seconds) });
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return t('reports.unit.min', { n: minutes });
  return t('reports.unit.h', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

/** Seconds as minutes with one decimal, for a chart's axis. */
export function toMinutes(seconds: number | null): number {
  return seconds === null ? 0 : Math.round(seconds / 6) / 10;
}
