/**
 * Metric values with their CloudWatch unit, readable: 2147483648 Bytes is "2 GiB", 1500
 * Milliseconds "1.5 s". Storage is shown in binary units (GiB), as AWS consoles do for sizes.
 */

const BYTE_FACTOR: Record<string, number> = { Bytes: 1, Kilobytes: 1024, Megabytes: 1024 ** 2, Gigabytes: 1024 ** 3, Terabytes: 1024 ** 4 };
const BIT_FACTOR: Record<string, number> = { Bits: 1, Kilobits: 1e3, Megabits: 1e6, Gigabits: 1e9, Terabits: 1e12 };
const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
const BIT_UNITS = ['bit', 'kbit', 'Mbit', 'Gbit', 'Tbit'];

function number(locale: string, value: number, digits = 2): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
}

function scaled(locale: string, value: number, base: number, units: readonly string[]): string {
  let v = value;
  let i = 0;
  while (Math.abs(v) >= base && i < units.length - 1) {
    v /= base;
    i++;
  }
  return `${number(locale, v)} ${units[i]}`;
}

function duration(locale: string, seconds: number): string {
  const abs = Math.abs(seconds);
  if (abs !== 0 && abs < 1e-3) return `${number(locale, seconds * 1e6)} µs`;
  if (abs !== 0 && abs < 1) return `${number(locale, seconds * 1e3)} ms`;
  if (abs < 120) return `${number(locale, seconds)} s`;
  if (abs < 7200) return `${number(locale, seconds / 60, 1)} min`;
  return `${number(locale, seconds / 3600, 1)} h`;
}

/** A metric value in its unit; a unit it does not know (Count, None, null) gives a plain compact number. */
export function formatMetricValue(value: number, unit: string | null | undefined, locale = 'en'): string {
  if (!Number.isFinite(value)) return String(value);
  const [base = '', per] = (unit ?? '').split('/');
  const rate = per === 'Second' ? '/s' : '';
  if (base in BYTE_FACTOR) return `${scaled(locale, value * BYTE_FACTOR[base]!, 1024, BYTE_UNITS)}${rate}`;
  if (base in BIT_FACTOR) return `${scaled(locale, value * BIT_FACTOR[base]!, 1000, BIT_UNITS)}${rate}`;
  if (base === 'Seconds') return duration(locale, value);
  if (base === 'Milliseconds') return duration(locale, value / 1e3);
  if (base === 'Microseconds') return duration(locale, value / 1e6);
  if (base === 'Percent') return `${number(locale, value)} %`;
  if (base === 'Count' && rate) return `${number(locale, value)}/s`;
  return new Intl.NumberFormat(locale, { notation: Math.abs(value) >= 10_000 ? 'compact' : 'standard', maximumFractionDigits: 2 }).format(value);
}

/**
 * Where the chart writes its threshold's label: above the dashed line, so a low threshold's label
 * never lands on the time axis, except near the top of the plot, where it goes below the line.
 */
export function thresholdLabelPosition(threshold: number, domain: readonly [number, number]): 'insideBottomRight' | 'insideTopRight' {
  const [min, max] = domain;
  const fraction = max > min ? (threshold - min) / (max - min) : 0;
  return fraction > 0.85 ? 'insideTopRight' : 'insideBottomRight';
}
