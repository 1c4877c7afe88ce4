'use client';

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { SERIES_COLORS } from '@/components/costs/format';

/** One bar group: its label on the axis and a value per series. */
export interface ChartRow {
  label: string;
  values: Record<string, number>;
}

export interface ChartProps {
  rows: ChartRow[];
  series: { key: string; label: string }[];
  /** Stack the series in one bar (parts of a whole) or put them side by side (different measures). */
  stacked: boolean;
}

/** A report's bar chart (recharts): loaded only by the reports page, in the browser (components/reports/report-chart.tsx). */
export default function ReportBars({ rows, series, stacked }: ChartProps) {
  return (
    <div className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%" minWidth={0}>
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} interval={0} />
          <YAxis tick={{ fontSize: 11 }} width={40} allowDecimals={!stacked} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {series.map((s, i) => (
            <Bar
              key={s.key}
              name={s.label}
              dataKey={(row: ChartRow) => row.values[s.key] ?? 0}
              {...(stacked ? { stackId: 'all' } : {})}
              fill={SERIES_COLORS[i % SERIES_COLORS.length]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
