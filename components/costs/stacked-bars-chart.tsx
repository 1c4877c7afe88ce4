'use client';

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useI18n } from '@/components/i18n-provider';
import { SERIES_COLORS } from '@/components/costs/format';
import { moneyFormat } from '@/lib/i18n/format';

import type { BarRow, StackedBarsProps } from '@/components/costs/stacked-bars';

/** The recharts part of StackedBars, loaded only where such a chart is on screen. */
export default function StackedBarsChart({ rows, series, seriesLabel }: Omit<StackedBarsProps, 'title' | 'testId'>) {
  const { locale } = useI18n();
  const money = moneyFormat(locale);
  const axis = moneyFormat(locale, { compact: true });
  return (
    <ResponsiveContainer width="100%" height="100%" minWidth={0}>
      <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" />
        <YAxis tickFormatter={(v: number) => axis.format(v)} tick={{ fontSize: 11 }} width={56} />
        <Tooltip formatter={(value) => money.format(Number(value))} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {series.map((s, i) => (
          <Bar
            key={s}
            name={seriesLabel?.[s] ?? s}
            dataKey={(row: BarRow) => row.values[s] ?? 0}
            stackId="cost"
            fill={SERIES_COLORS[i % SERIES_COLORS.length]}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
