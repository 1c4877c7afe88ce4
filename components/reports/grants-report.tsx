import { ReportChart } from '@/components/reports/report-chart';
import { EmptyReport, ReportSection } from '@/components/reports/report-section';
import { SimulateUseButton } from '@/components/reports/simulate-use-button';
import { Alert } from '@/components/ui/alert';
import { Table, Td, Th } from '@/components/ui/table';
import type { ActionResult } from '@/lib/action-result';
import { environmentSlugOf } from '@/lib/environments';
import { formatMinutes, type InstantFormat } from '@/lib/i18n/format';
import type { Translate } from '@/lib/i18n/messages';
import type { GrantWithUsage, ReportData } from '@/lib/reports/model';
import { MAX_USAGE_CHECKS } from '@/lib/reports/usage';

function usageText(g: GrantWithUsage, now: Date, t: Translate): string {
  if (g.usage.status === 'used') return t('reports.usage.used', { event: g.usage.eventName });
  if (g.usage.status === 'unknown') return t('reports.usage.unknown', { reason: t(`reports.reason.${g.usage.reason}`) });
  return g.endedAt === null && g.endsAt > now ? t('reports.usage.unusedSoFar') : t('reports.usage.unused');
}

/**
 * The grants report: given back early, and used or not per CloudTrail; where CloudTrail could not be
 * asked, an alert names the environment and the grants read "unknown", never "never used".
 * `simulate` is the sandbox's control (null in aws mode or for a user who may not use it).
 */
export function GrantsReport({
  t,
  report,
  csv,
  now,
  when,
  simulate,
}: {
  t: Translate;
  /** Instants in the reader's zone and language (docs/decisions/048-time-zone-policy.md). */
  when: InstantFormat;
  report: ReportData['grants'];
  csv: string;
  now: Date;
  simulate: ((input: { grantId: string }) => Promise<ActionResult>) | null;
}) {
  const { grants } = report;
  const count = (status: GrantWithUsage['usage']['status']) => grants.filter((g) => g.usage.status === status).length;
  const given = grants.filter((g) => g.givenBackEarly).length;
  const environments = [...new Set(grants.map((g) => g.environment))];
  return (
    <ReportSection id="grants" title={t('reports.grants.title')} explain={t('reports.grants.explain', { max: MAX_USAGE_CHECKS })} csv={csv} t={t}>
      {report.unavailable.map((u) => (
        <Alert key={u.environment} tone="warn" box testId="cloudtrail-unavailable">
          {t('reports.grants.unavailable', { environment: environmentSlugOf(u.environment), reason: t(`reports.reason.${u.reason}`) })}
        </Alert>
      ))}
      {simulate ? <p className="text-sm text-muted">{t('reports.grants.sandbox')}</p> : null}
      {grants.length === 0 ? (
        <EmptyReport t={t} />
      ) : (
        <>
          <p className="text-sm" data-testid="grants-summary">
            {t('reports.grants.summary', { total: grants.length, given, used: count('used'), unused: count('unused'), unknown: count('unknown') })}
          </p>
          <ReportChart
            title={t('reports.grants.title')}
            testId="chart-grants"
            stacked={false}
            series={[
              { key: 'used', label: t('reports.grants.chartUsed') },
              { key: 'unused', label: t('reports.grants.chartUnused') },
              { key: 'unknown', label: t('reports.grants.chartUnknown') },
              { key: 'given', label: t('reports.grants.chartGivenBack') },
            ]}
            rows={environments.map((e) => {
              const of = grants.filter((g) => g.environment === e);
              return {
                label: environmentSlugOf(e),
                values: {
                  used: of.filter((g) => g.usage.status === 'used').length,
                  unused: of.filter((g) => g.usage.status === 'unused').length,
                  unknown: of.filter((g) => g.usage.status === 'unknown').length,
                  given: of.filter((g) => g.givenBackEarly).length,
                },
              };
            })}
          />
          <Table>
            <thead>
              <tr>
                <Th>{t('reports.col.user')}</Th>
                <Th>{t('reports.col.environment')}</Th>
                <Th>{t('reports.grants.resource')}</Th>
                <Th>{t('reports.grants.window')}</Th>
                <Th>{t('reports.grants.givenBack')}</Th>
                <Th>{t('reports.grants.usage')}</Th>
              </tr>
            </thead>
            <tbody>
              {grants.map((g) => (
                <tr key={g.id} data-grant-id={g.id}>
                  <Td>
                    {g.userName}
                    <span className="block text-xs text-muted">{g.teamName}</span>
                  </Td>
                  <Td>{environmentSlugOf(g.environment)}</Td>
                  <Td className="font-mono text-xs break-all">{g.resourceArn}</Td>
                  <Td className="text-xs whitespace-nowrap">
                    {when.format(g.startsAt)}
                    <span className="block">→ {when.format(g.endedAt ?? g.endsAt)}</span>
                  </Td>
                  <Td data-testid="given-back">
                    {g.givenBackEarly && g.endedAt
                      ? t('reports.grants.givenBackYes', { duration: formatMinutes(Math.round((g.endsAt.getTime() - g.endedAt.getTime()) / 60_000), t.locale) })
                      : '—'}
                  </Td>
                  <Td data-testid="usage" data-usage={g.usage.status}>
                    <span className="block">{usageText(g, now, t)}</span>
                    {simulate && g.usage.status === 'unused' ? <SimulateUseButton grantId={g.id} simulate={simulate} /> : null}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
          {report.omitted > 0 ? <p className="text-sm text-muted">{t('reports.grants.omitted', { count: report.omitted })}</p> : null}
        </>
      )}
    </ReportSection>
  );
}
