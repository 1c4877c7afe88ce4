'use client';

import dynamic from 'next/dynamic';
import type { ChartProps } from '@/components/reports/bar-chart';

// recharts is fetched only when a report's chart is on screen, after the page's tables: the
// reports page's first load stays light (docs/decisions/051-reports.md).
const ReportBars = dynamic(() => import('@/components/reports/bar-chart'), {
  ssr: false,
  loading: () => <div className="h-64 w-full animate-pulse rounded-md bg-border/30" />,
});

/** A report's chart with its caption; nothing when there is nothing to draw. */
export function ReportChart({ title, testId, ...props }: ChartProps & { title: string; testId: string }) {
  if (props.rows.length === 0) return null;
  return (
    <figure data-testid={testId} className="w-full">
      <figcaption className="sr-only">{title}</figcaption>
      <ReportBars {...props} />
    </figure>
  );
}
