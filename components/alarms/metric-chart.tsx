'use client';

import { CartesianGrid, ComposedChart, Line, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useI18n } from '@/components/i18n-provider';
import { useHydrated } from '@/components/alarms/use-clock';
import type { MetricSeries, Period } from '@/lib/alarms/model';
import { formatMetricValue, thresholdLabelPosition } from '@/lib/alarms/units';

const COLORS = ['#1d4ed8', '#7c3aed', '#0f766e', '#c2410c'];

/** A round number at or above x (1, 2, 2.5, 5 × a power of ten): the top of the axis. */
function niceCeil(x: number): number {
  if (x <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(x));
  return ([1, 2, 2.5, 5, 10].find((m) => m * power >= x) ?? 10) * power;
}

/**
 * The alarm's metric over the range with its threshold as a dashed line and the periods in ALARM
 * shaded; times on the axis in the user's time zone. Drawn in the browser only (it needs the
 * browser's time zone and size); no animation, so a refresh does not flicker.
 */
export function MetricChart({
  series,
  threshold,
  periods,
  from,
  to,
  range,
  label,
  unit = null,
}: {
  series: MetricSeries[];
  threshold: number | null;
  periods: Period[];
  from: string;
  to: string;
  range: string;
  label: string;
  /** The metric's CloudWatch unit: axis, tooltip and threshold read in it (2 GiB, not 2147483648). */
  unit?: string | null;
}) {
  const { t, locale } = useI18n();
  const hydrated = useHydrated();
  const start = Date.parse(from);
  const end = Date.parse(to);
  const rows = new Map<number, Record<string, number>>();
  for (const s of series) {
    for (const p of s.points) {
      const at = Date.parse(p.t);
      const row = rows.get(at) ?? { t: at };
      row[s.id] = p.v;
      rows.set(at, row);
    }
  }
  const data = [...rows.values()].sort((a, b) => a.t! - b.t!);
  const values = series.flatMap((s) => s.points.map((p) => p.v));
  const top = Math.max(...values, threshold ?? 0, 0);
  const bottom = Math.min(...values, threshold ?? 0, 0);
  const domain: [number, number] = [bottom < 0 ? -niceCeil(-bottom * 1.05) : 0, niceCeil(top * 1.05)];
  const format = (v: number) => formatMetricValue(v, unit, locale);
  const long = end - start > 2 * 86_400_000;
  const tick = new Intl.DateTimeFormat(locale, long ? { month: 'short', day: 'numeric', hour: '2-digit' } : { hour: '2-digit', minute: '2-digit' });
  const full = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  if (!hydrated) return <div className="h-72" aria-busy="true" />;
  return (
    <figure className="h-72 w-full" data-testid="metric-chart" data-points={data.length} data-periods={periods.length} aria-label={label}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="t" type="number" scale="time" domain={[start, end]} tickFormatter={(v: number) => tick.format(v)} minTickGap={40} fontSize={11} />
          <YAxis domain={domain} tickFormatter={(v: number) => format(v)} width={72} fontSize={11} />
          <Tooltip labelFormatter={(v) => full.format(Number(v))} formatter={(v) => format(Number(v))} />
          {periods.map((p) => (
            <ReferenceArea
              key={p.from}
              x1={Math.max(Date.parse(p.from), start)}
              x2={Math.min(Date.parse(p.to), end)}
              fill="#dc2626"
              fillOpacity={0.12}
              ifOverflow="hidden"
            />
          ))}
          {threshold !== null ? (
            <ReferenceLine
              y={threshold}
              stroke="#b91c1c"
              strokeDasharray="6 4"
              label={{
                value: t('alarms.chart.threshold', { value: format(threshold) }),
                position: thresholdLabelPosition(threshold, domain),
                fontSize: 11,
                fill: '#b91c1c',
              }}
            />
          ) : null}
          {series.map((s, i) => (
            <Line
              key={s.id}
              type="monotone"
              dataKey={s.id}
              name={s.label}
              stroke={COLORS[i % COLORS.length]}
              dot={false}
              strokeWidth={1.5}
              isAnimationActive={false}
              connectNulls={false}
            />
          ))}
        </ComposedChart>
      </ResponsiveContainer>
      <figcaption className="sr-only">{range}</figcaption>
    </figure>
  );
}
