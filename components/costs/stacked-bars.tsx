'use client';

import dynamic from 'next/dynamic';

export interface BarRow {
  label: string;
  values: Record<string, number>;
}

export interface StackedBarsProps {
  rows: BarRow[];
  series: string[];
  title: string;
  testId: string;
  seriesLabel?: Record<string, string>;
}

// recharts is fetched only where a chart is on screen, after the page's figures (docs/decisions/052-page-weight-budget.md).
const StackedBarsChart = dynamic(() => import('@/components/costs/stacked-bars-chart'), {
  ssr: false,
  loading: () => <div className="h-full w-full animate-pulse rounded-md bg-border/30" />,
});

/** Cost per period, stacked by series (services); amounts in USD, shown in the user's locale. */
export function StackedBars({ title, testId, ...chart }: StackedBarsProps) {
  return (
    <figure data-testid={testId} className="w-full">
      <figcaption className="mb-2 text-sm font-semibold">{title}</figcaption>
      <div className="h-72 w-full">
        <StackedBarsChart {...chart} />
      </div>
    </figure>
  );
}
