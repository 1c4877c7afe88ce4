import type { ReactNode } from 'react';
import { Card, CardTitle } from '@/components/ui/card';
import type { Translate } from '@/lib/i18n/messages';
import type { ReportName } from '@/lib/reports/model';

/** One report's card: its title, what it counts, its CSV link, then its chart and table. */
export function ReportSection({
  id,
  title,
  explain,
  csv,
  t,
  children,
}: {
  id: ReportName;
  title: string;
  explain: string;
  csv: string;
  t: Translate;
  children: ReactNode;
}) {
  return (
    <Card aria-labelledby={`report-${id}`} data-testid={`report-${id}`} className="space-y-3">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <CardTitle id={`report-${id}`}>{title}</CardTitle>
          <p className="max-w-3xl text-sm text-muted">{explain}</p>
        </div>
        <a href={csv} download className="text-sm text-primary underline" data-testid={`csv-${id}`}>
          {t('reports.csv')}
        </a>
      </div>
      {children}
    </Card>
  );
}

/** What a report shows when the period has nothing for it. */
export function EmptyReport({ t }: { t: Translate }) {
  return <p className="text-sm text-muted">{t('reports.empty')}</p>;
}
