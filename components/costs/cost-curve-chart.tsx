'use client';

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { CurvePoint } from '@/lib/costs/model';
import type { AmountFormat } from '@/lib/i18n/format';

/** The two architectures' monthly cost over traffic (log scales), the user's traffic and the break-even marked. */
export default function CostCurveChart({
  curve,
  normalPerHour,
  breakEvenPerHour,
  names,
  money,
  num,
}: {
  curve: CurvePoint[];
  normalPerHour: number;
  breakEvenPerHour: number | null;
  names: { lambda: string; fargate: string };
  money: AmountFormat;
  num: AmountFormat;
}) {
  return (
    <ResponsiveContainer width="100%" height="100%" minWidth={0}>
      <LineChart data={curve} margin={{ top: 8, right: 16, bottom: 16, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          dataKey="normalPerHour"
          type="number"
          scale="log"
          domain={[10, 1_000_000]}
          allowDataOverflow
          tickFormatter={(v: number) => num.format(v)}
          tick={{ fontSize: 11 }}
          ticks={[10, 100, 1000, 10_000, 100_000, 1_000_000]}
        />
        <YAxis scale="log" domain={['auto', 'auto']} tickFormatter={(v: number) => money.format(v)} tick={{ fontSize: 11 }} width={80} />
        <Tooltip formatter={(value) => money.format(Number(value))} labelFormatter={(v) => `${num.format(Number(v))} / h`} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Line
          type="monotone"
          dataKey="lambda"
          name={names.lambda}
          stroke="#1d4ed8"
          dot={false}
          strokeWidth={2}
          isAnimationActive={false}
          className="line-lambda"
        />
        <Line
          type="monotone"
          dataKey="fargate"
          name={names.fargate}
          stroke="#b45309"
          dot={false}
          strokeWidth={2}
          isAnimationActive={false}
          className="line-fargate"
        />
        {normalPerHour >= 10 ? <ReferenceLine x={normalPerHour} stroke="#475569" strokeDasharray="4 4" /> : null}
        {breakEvenPerHour !== null ? <ReferenceLine x={breakEvenPerHour} stroke="#be123c" label={{ value: '=', position: 'top', fill: '#be123c' }} /> : null}
      </LineChart>
    </ResponsiveContainer>
  );
}
