import { describe, expect, it } from 'vitest';
import { formatMetricValue, thresholdLabelPosition } from '@/lib/alarms/units';

describe('formatMetricValue', () => {
  it.each([
    [2147483648, 'Bytes', '2 GiB'],
    [5368709120, 'Bytes', '5 GiB'],
    [1536, 'Bytes', '1.5 KiB'],
    [512, 'Bytes', '512 B'],
    [2048, 'Megabytes', '2 GiB'],
    [10485760, 'Bytes/Second', '10 MiB/s'],
    [1500, 'Milliseconds', '1.5 s'],
    [250, 'Milliseconds', '250 ms'],
    [0.2, 'Seconds', '200 ms'],
    [900, 'Seconds', '15 min'],
    [80, 'Percent', '80 %'],
    [5, 'Count', '5'],
    [1_250_000, null, '1.25M'],
    [3, undefined, '3'],
  ] as const)('%s %s reads %s', (value, unit, text) => {
    expect(formatMetricValue(value, unit)).toBe(text);
  });

  it('formats the number in the reader’s language', () => {
    expect(formatMetricValue(1.5 * 1024 ** 3, 'Bytes', 'de')).toBe('1,5 GiB');
  });
});

describe('thresholdLabelPosition', () => {
  it('puts the label above a low or middle threshold (clear of the time axis) and below one at the top', () => {
    expect(thresholdLabelPosition(0, [0, 100])).toBe('insideBottomRight');
    expect(thresholdLabelPosition(2 * 1024 ** 3, [0, 10 * 1024 ** 3])).toBe('insideBottomRight');
    expect(thresholdLabelPosition(50, [0, 100])).toBe('insideBottomRight');
    expect(thresholdLabelPosition(95, [0, 100])).toBe('insideTopRight');
    expect(thresholdLabelPosition(5, [5, 5])).toBe('insideBottomRight');
  });
});
