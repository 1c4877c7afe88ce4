import { simulateGrantUseAction } from '@/app/reports/actions';
import { chartUnit, formatDuration, inUnit } from '@/components/reports/format';
import { GrantsReport } from '@/components/reports/grants-report';
import { ReportChart } from '@/components/reports/report-chart';
import { EmptyReport, ReportSection } from '@/components/reports/report-section';
import { Field, Input } from '@/components/ui/field';
import { FilterErrors } from '@/components/ui/filter-errors';
import { FilterForm } from '@/components/ui/filter-form';
import { Table, Td, Th } from '@/components/ui/table';
import { environmentSlugOf } from '@/lib/environments';
import { instantFormat } from '@/lib/i18n/format';
import type { Translate } from '@/lib/i18n/messages';
import type { ReportData, ReportName } from '@/lib/reports/model';
import { periodQuery, reportPeriodQuerySchema, resolveReportPeriod } from '@/lib/reports/schemas';
import { requirePermission } from '@/lib/server/auth/guards';
import { can } from '@/lib/server/auth/permissions';
import { cloudMode } from '@/lib/server/cloud/adapters';
import { safeParseQuery } from '@/lib/server/http/query';
import { getTranslator } from '@/lib/server/i18n/locale';
import { pageTitle } from '@/lib/server/i18n/metadata';
import { loadReports } from '@/lib/server/reports';

// The tab's title in the reader's language.
export const generateMetadata = pageTitle('reports.title');

type SearchParams = Record<string, string | string[] | undefined>;

/** Filter controls are denser than a form's. */
const compact = 'w-auto px-2 py-1.5';
const num = 'text-right tabular-nums';

/** Reports for security and admins (docs/decisions/051-reports.md): one period, five reports, each a chart, a table and a CSV. */
export default async function ReportsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission('reports.read', '/reports');
  const raw = await searchParams;
  const { t, locale, zone } = await getTranslator();
  const now = new Date();
  const parsed = safeParseQuery(raw, reportPeriodQuerySchema);
  const resolved = parsed.success ? resolveReportPeriod(parsed.data, now) : null;
  const problems = !parsed.success
    ? parsed.error.issues.map((i) => `${String(i.path[0] ?? '')}: ${i.message}`)
    : resolved && !resolved.ok
      ? [`${resolved.field}: ${resolved.message}`]
      : [];
  // A bad period shows no figures: the default period's could be taken for the asked one.
  const period = resolved?.ok ? resolved.period : null;
  const data = period ? await loadReports(period, now) : null;
  const days = period ? periodQuery(period) : null;
  const text = (key: string) => (typeof raw[key] === 'string' ? (raw[key] as string) : '');
  const csv = (name: ReportName) => `/api/v1/reports/${name}?${new URLSearchParams({ format: 'csv', ...days })}`;
  const simulate = cloudMode() === 'sandbox' && can(actor, 'sandbox.simulate_use');

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-2xl font-bold">{t('reports.title')}</h1>
        <p className="text-sm text-muted">{t('reports.intro')}</p>
      </div>

      <FilterForm action="/reports" label={t('reports.period')} applyLabel={t('reports.apply')} clearLabel={t('reports.reset')}>
        <Field id="reports-from" label={t('reports.from')}>
          <Input type="date" name="from" defaultValue={days?.from ?? text('from')} className={compact} />
        </Field>
        <Field id="reports-to" label={t('reports.to')}>
          <Input type="date" name="to" defaultValue={days?.to ?? text('to')} className={compact} />
        </Field>
      </FilterForm>

      {problems.length ? <FilterErrors title={t('reports.invalid')} messages={problems} /> : null}

      {data && days ? (
        <>
          <p className="text-sm font-medium" data-testid="report-period">
            {t('reports.periodLabel', days)}
          </p>
          <TimeToApprove t={t} rows={data['time-to-approve']} csv={csv('time-to-approve')} />
          <Requests t={t} rows={data.requests} csv={csv('requests')} />
          <BreakGlass t={t} rows={data['break-glass']} csv={csv('break-glass')} />
          <GrantsReport
            t={t}
            report={data.grants}
            csv={csv('grants')}
            now={now}
            when={instantFormat(locale, zone)}
            simulate={simulate ? simulateGrantUseAction : null}
          />
          <ApproverLoad t={t} rows={data['approver-load']} csv={csv('approver-load')} />
        </>
      ) : null}
    </div>
  );
}

function TimeToApprove({ t, rows, csv }: { t: Translate; rows: ReportData['time-to-approve']; csv: string }) {
  const label = (r: (typeof rows)[number]) => `${environmentSlugOf(r.environment)} · ${t(`access.type.${r.type}`)}`;
  const unit = chartUnit(Math.max(0, ...rows.map((r) => r.firstP95Seconds ?? 0)));
  return (
    <ReportSection id="time-to-approve" title={t('reports.tta.title')} explain={t('reports.tta.explain')} csv={csv} t={t}>
      {rows.length === 0 ? (
        <EmptyReport t={t} />
      ) : (
        <>
          <ReportChart
            title={t('reports.tta.title')}
            testId="chart-time-to-approve"
            stacked={false}
            series={[
              { key: 'p50', label: t('reports.tta.chartP50', { unit: t(`reports.unitName.${unit}`) }) },
              { key: 'p95', label: t('reports.tta.chartP95', { unit: t(`reports.unitName.${unit}`) }) },
            ]}
            rows={rows.map((r) => ({ label: label(r), values: { p50: inUnit(r.firstP50Seconds, unit), p95: inUnit(r.firstP95Seconds, unit) } }))}
          />
          <Table>
            <thead>
              <tr>
                <Th>{t('reports.col.environment')}</Th>
                <Th>{t('reports.col.type')}</Th>
                <Th className={num}>{t('reports.tta.requests')}</Th>
                <Th className={num}>{t('reports.tta.decided')}</Th>
                <Th className={num}>{t('reports.tta.firstP50')}</Th>
                <Th className={num}>{t('reports.tta.firstP95')}</Th>
                <Th className={num}>{t('reports.tta.finalP50')}</Th>
                <Th className={num}>{t('reports.tta.finalP95')}</Th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.environment}-${r.type}`}>
                  <Td>{environmentSlugOf(r.environment)}</Td>
                  <Td>{t(`access.type.${r.type}`)}</Td>
                  <Td className={num}>{r.requests}</Td>
                  <Td className={num}>{r.decided}</Td>
                  <Td className={num}>{formatDuration(r.firstP50Seconds, t)}</Td>
                  <Td className={num}>{formatDuration(r.firstP95Seconds, t)}</Td>
                  <Td className={num}>{formatDuration(r.finalP50Seconds, t)}</Td>
                  <Td className={num}>{formatDuration(r.finalP95Seconds, t)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </>
      )}
    </ReportSection>
  );
}

const REQUEST_OUTCOMES = ['approved', 'rejected', 'pending', 'expired', 'cancelled'] as const;

function Requests({ t, rows, csv }: { t: Translate; rows: ReportData['requests']; csv: string }) {
  return (
    <ReportSection id="requests" title={t('reports.requests.title')} explain={t('reports.requests.explain')} csv={csv} t={t}>
      {rows.length === 0 ? (
        <EmptyReport t={t} />
      ) : (
        <>
          <ReportChart
            title={t('reports.requests.title')}
            testId="chart-requests"
            stacked
            series={REQUEST_OUTCOMES.map((o) => ({ key: o, label: t(`reports.requests.${o}`) }))}
            rows={rows.map((r) => ({
              label: `${r.teamName} · ${environmentSlugOf(r.environment)}`,
              values: Object.fromEntries(REQUEST_OUTCOMES.map((o) => [o, r[o]])),
            }))}
          />
          <Table>
            <thead>
              <tr>
                <Th>{t('reports.col.team')}</Th>
                <Th>{t('reports.col.environment')}</Th>
                <Th className={num}>{t('reports.requests.total')}</Th>
                {REQUEST_OUTCOMES.map((o) => (
                  <Th key={o} className={num}>
                    {t(`reports.requests.${o}`)}
                  </Th>
                ))}
                <Th className={num}>{t('reports.requests.breakGlass')}</Th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.teamId}-${r.environment}`}>
                  <Td>{r.teamName}</Td>
                  <Td>{environmentSlugOf(r.environment)}</Td>
                  <Td className={num}>{r.total}</Td>
                  {REQUEST_OUTCOMES.map((o) => (
                    <Td key={o} className={num}>
                      {r[o]}
                    </Td>
                  ))}
                  <Td className={num}>{r.breakGlass}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </>
      )}
    </ReportSection>
  );
}

const REVIEWS = ['acknowledged', 'escalated', 'unreviewed'] as const;

function BreakGlass({ t, rows, csv }: { t: Translate; rows: ReportData['break-glass']; csv: string }) {
  return (
    <ReportSection id="break-glass" title={t('reports.breakGlass.title')} explain={t('reports.breakGlass.explain')} csv={csv} t={t}>
      {rows.length === 0 ? (
        <EmptyReport t={t} />
      ) : (
        <>
          <ReportChart
            title={t('reports.breakGlass.title')}
            testId="chart-break-glass"
            stacked
            series={REVIEWS.map((o) => ({ key: o, label: t(`reports.breakGlass.${o}`) }))}
            rows={rows.map((r) => ({ label: `${r.userName} · ${r.teamName}`, values: Object.fromEntries(REVIEWS.map((o) => [o, r[o]])) }))}
          />
          <Table>
            <thead>
              <tr>
                <Th>{t('reports.col.user')}</Th>
                <Th>{t('reports.col.team')}</Th>
                <Th className={num}>{t('reports.breakGlass.uses')}</Th>
                {REVIEWS.map((o) => (
                  <Th key={o} className={num}>
                    {t(`reports.breakGlass.${o}`)}
                  </Th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.userId}-${r.teamId}`}>
                  <Td>{r.userName}</Td>
                  <Td>{r.teamName}</Td>
                  <Td className={num}>{r.uses}</Td>
                  {REVIEWS.map((o) => (
                    <Td key={o} className={num}>
                      {r[o]}
                    </Td>
                  ))}
                </tr>
              ))}
            </tbody>
          </Table>
        </>
      )}
    </ReportSection>
  );
}

function ApproverLoad({ t, rows, csv }: { t: Translate; rows: ReportData['approver-load']; csv: string }) {
  return (
    <ReportSection id="approver-load" title={t('reports.approvers.title')} explain={t('reports.approvers.explain')} csv={csv} t={t}>
      {rows.length === 0 ? (
        <EmptyReport t={t} />
      ) : (
        <>
          <ReportChart
            title={t('reports.approvers.title')}
            testId="chart-approver-load"
            stacked
            series={[
              { key: 'approvals', label: t('reports.approvers.approvals') },
              { key: 'rejections', label: t('reports.approvers.rejections') },
              { key: 'pendingEligible', label: t('reports.approvers.pending') },
            ]}
            rows={rows.map((r) => ({
              label: r.approverName,
              values: { approvals: r.approvals, rejections: r.rejections, pendingEligible: r.pendingEligible },
            }))}
          />
          <Table>
            <thead>
              <tr>
                <Th>{t('reports.approvers.approver')}</Th>
                <Th className={num}>{t('reports.approvers.approvals')}</Th>
                <Th className={num}>{t('reports.approvers.rejections')}</Th>
                <Th className={num}>{t('reports.approvers.decisions')}</Th>
                <Th className={num}>{t('reports.approvers.median')}</Th>
                <Th className={num}>{t('reports.approvers.pending')}</Th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.approverId}>
                  <Td>{r.approverName}</Td>
                  <Td className={num}>{r.approvals}</Td>
                  <Td className={num}>{r.rejections}</Td>
                  <Td className={num}>{r.decisions}</Td>
                  <Td className={num}>{formatDuration(r.medianResponseSeconds, t)}</Td>
                  <Td className={num}>{r.pendingEligible}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </>
      )}
    </ReportSection>
  );
}
