import Link from 'next/link';
import { FindingFilters } from '@/components/iam-audit/finding-filters';
import { FindingsTable } from '@/components/iam-audit/findings-table';
import { RunScanButton } from '@/components/iam-audit/run-scan-button';
import { Alert } from '@/components/ui/alert';
import { FilterErrors } from '@/components/ui/filter-errors';
import { accountLabel } from '@/lib/cloud/account-label';
import { filterFindings } from '@/lib/iam-audit/rules';
import { findingFilterSchema } from '@/lib/iam-audit/schemas';
import { requirePermission } from '@/lib/server/auth/guards';
import { can } from '@/lib/server/auth/permissions';
import { instantFormat } from '@/lib/i18n/format';
import { recordIamAuditVisit } from '@/lib/server/iam-audit-news';
import { getTranslator } from '@/lib/server/i18n/locale';
import { iamAuditDeps } from '@/lib/server/iam-audit';
import { runScanAction } from '@/app/iam-audit/actions';
import { pageTitle } from '@/lib/server/i18n/metadata';

// The tab's title in the reader's language.
export const generateMetadata = pageTitle('title.iamAudit');

type SearchParams = Record<string, string | string[] | undefined>;

export default async function IamAuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission('iam.audit.read', '/iam-audit');
  const raw = await searchParams;
  const parsed = findingFilterSchema.safeParse(raw);
  const [{ t, locale, zone }, scan] = await Promise.all([
    getTranslator(),
    iamAuditDeps().store.latestScan(),
    // "New since your last visit" on the home page counts from here (docs/decisions/049-home-page.md).
    recordIamAuditVisit(actor, new Date()),
  ]);
  const mayScan = can(actor, 'iam.audit.scan');
  const when = instantFormat(locale, zone, 'dateTime', { seconds: true });
  const filter = parsed.success ? parsed.data : null;
  const findings = scan && filter ? filterFindings(scan.findings, filter) : [];

  const selection = new URLSearchParams();
  if (filter?.kind) selection.set('kind', filter.kind);
  if (filter?.severity) selection.set('severity', filter.severity);
  const exportHref = (format: 'csv' | 'json') => `/api/v1/iam-audit/findings?${new URLSearchParams([['format', format], ...selection])}`;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">{t('iamAudit.title')}</h1>
          <p className="max-w-3xl text-sm text-muted">{t('iamAudit.intro')}</p>
          {scan ? (
            <>
              <p className="mt-1 text-sm" data-testid="last-scan">
                <time dateTime={scan.finishedAt.toISOString()}>
                  {t('iamAudit.lastScan', {
                    time: when.format(scan.finishedAt),
                    name: scan.startedByName,
                    principals: scan.principalCount,
                    policies: scan.policyCount,
                    count: scan.findings.length,
                  })}
                </time>
              </p>
              {scan.accounts
                .filter((a) => a.error)
                .map((a) => (
                  <Alert key={a.accountId ?? ''} testId="scan-account-failed">
                    {t('iamAudit.accountFailed', { account: accountLabel(a), error: a.error ?? '' })}
                  </Alert>
                ))}
              <p className="text-xs text-muted">
                {t('iamAudit.settings', { list: scan.settings.privilegedPrincipals.join(', '), days: scan.settings.unusedRoleDays })}
              </p>
            </>
          ) : (
            <p className="mt-1 text-sm" data-testid="last-scan">
              {t('iamAudit.neverScanned')} {mayScan ? null : t('iamAudit.neverScanned.ask')}
            </p>
          )}
        </div>
        <div className="flex flex-wrap items-start gap-3">
          {mayScan ? <RunScanButton run={runScanAction} /> : null}
          <Link href="/iam-audit/baseline" className="text-sm text-primary underline">
            {t('iamAudit.baselineLink')}
          </Link>
        </div>
      </div>

      <FindingFilters t={t} values={{ kind: filter?.kind ?? '', severity: filter?.severity ?? '' }} />

      {!parsed.success ? <FilterErrors title={t('iamAudit.invalid')} messages={parsed.error.issues.map((issue) => issue.message)} /> : null}

      {scan && filter ? (
        <FindingsTable findings={findings} total={scan.findings.length} exportHrefs={{ csv: exportHref('csv'), json: exportHref('json') }} t={t} />
      ) : null}
    </div>
  );
}
