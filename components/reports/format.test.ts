import { describe, expect, it } from 'vitest';
import { chartUnit, formatDuration, inUnit } from '@/components/reports/format';
import { createTranslator } from '@/lib/i18n/messages';

describe('report durations', () => {
  it('reads as seconds, minutes, or hours and minutes, in each language', () => {
    const en = createTranslator('en');
    expect([null, 45, 90, 3 * 3600 + 300].map((s) => formatDuration(s, en))).toEqual(['—', '45 s', '2 min', '3 h 5 min']);
    expect(formatDuration(3 * 3600 + 300, createTranslator('ko'))).toBe('3시간 5분');
  });

  it('charts waits in seconds while the longest is under two minutes, else in minutes', () => {
    expect(chartUnit(87)).toBe('s');
    expect(chartUnit(528)).toBe('min');
    expect(inUnit(528, 'min')).toBe(8.8);
    expect(inUnit(0.34, 's')).toBe(0.3);
    expect(inUnit(null, 's')).toBe(0);
  });
});
