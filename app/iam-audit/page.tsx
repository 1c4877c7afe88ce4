import type { Metadata } from 'next';
import Link from 'next/link';
import { PolicyJson } from '@/components/iam-audit/policy-json';
import { RunScanButton } from '@/components/iam-audit/run-scan-button';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { FINDING_KINDS, SEVERITIES, filterFindings, type Finding, type Severity } from '@/lib/iam-audit/rules';
import { findingFilterSchema } from '@/lib/iam-audit/schemas';
import type { Translate } from '@/lib/i18n/messages';
import { requirePermission } from '@/lib/server/auth/guards';
import { can } from '@/lib/server/auth/permissions';
import { getTranslator } from '@/lib/server/i18n/locale';
import { iamAuditDeps } from '@/lib/server/iam-audit';
import { runScanAction } from '@/app/iam-audit/actions';

export const metadata: Metadata = { title: 'IAM audit' };

type SearchParams = Record<string, string | string[] | undefined>;

const TONE: Record<Severity, 'danger' | 'warn' | 'info' | 'neutral'> = { critical: 'danger', high: 'warn', medium: 'info', low: 'neutral' };
const fieldClass = 'rounded-md border border-border bg-surface px-2 py-1.5';

/** Why a finding is one, in the reader's language (the stored `why` is the English of exports). */
function whyText(f: Finding, t: Translate): string {
  const facts = f.facts;
  const base =
    f.kind === 'UNUSED_ROLE'
      ? t(facts.lastUsedDays !== undefined ? 'iamAudit.why.UNUSED_ROLE.lastUsed' : 'iamAudit.why.UNUSED_ROLE.never', facts)
      : (f.kind === 'INLINE_ADMIN' || f.kind === 'ADMIN_WILDCARD') && facts.except
        ? t(`iamAudit.why.${f.kind}.except`, facts)
        : t(`iamAudit.why.${f.kind}`, facts);
  const extra = [facts.members !== undefined ? t('iamAudit.why.members', facts) : null, facts.conditioned ? t('iamAudit.why.conditioned') : null].filter(Boolean);
  return [base, ...extra].join(' ');
}

function SuggestionCell({ f, t }: { f: Finding; t: Translate }) {
  const s = f.suggestion;
  if (!s) return <p className="text-sm">{t('iamAudit.suggestion.unusedRole')}</p>;
  return (
    <div className="space-y-1 text-xs">
      {s.fillIn.length ? (
        <p className="max-w-sm break-words">
          <Badge tone="warn">{t('iamAudit.suggestion.fillIn')}</Badge> <span className="font-mono">{t('iamAudit.suggestion.fillInList', { placeholders: s.fillIn.join(' ') })}</span>
        </p>
      ) : null}
      <PolicyJson value={s.statement} label={t('iamAudit.col.suggestion')} />
      {s.scope.team && s.scope.source ? (
        <p className="text-muted">
          {t('iamAudit.suggestion.scope', { team: s.scope.team, env: s.scope.env ?? t('iamAudit.suggestion.anyEnv'), source: t(`iamAudit.suggestion.source.${s.scope.source}`) })}
        </p>
      ) : null}
      {s.readOnly ? <p className="text-muted">{t('iamAudit.suggestion.readOnly')}</p> : null}
      {f.kind === 'INLINE_ADMIN' || f.kind === 'ADMIN_WILDCARD' ? <p className="text-muted">{t('iamAudit.suggestion.template')}</p> : null}
    </div>
  );
}

export default async function IamAuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission('iam.audit.read', '/iam-audit');
  const raw = await searchParams;
  const parsed = findingFilterSchema.safeParse(raw);
  const [{ t, locale }, scan] = await Promise.all([getTranslator(), iamAuditDeps().store.latestScan()]);
  const mayScan = can(actor, 'iam.audit.scan');
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
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
                  {t('iamAudit.lastScan', { time: when.format(scan.finishedAt), name: scan.startedByName, principals: scan.principalCount, policies: scan.policyCount, count: scan.findings.length })}
                </time>
              </p>
              <p className="text-xs text-muted">{t('iamAudit.settings', { list: scan.settings.privilegedPrincipals.join(', '), days: scan.settings.unusedRoleDays })}</p>
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

      <form method="get" action="/iam-audit" aria-label={t('iamAudit.filters')} className="flex flex-wrap items-end gap-3 text-sm">
        <label className="flex flex-col gap-1">
          <span className="font-medium">{t('iamAudit.filter.kind')}</span>
          <select name="kind" defaultValue={filter?.kind ?? ''} className={fieldClass}>
            <option value="">{t('iamAudit.filter.any')}</option>
            {FINDING_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`iamAudit.kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="font-medium">{t('iamAudit.filter.severity')}</span>
          <select name="severity" defaultValue={filter?.severity ?? ''} className={fieldClass}>
            <option value="">{t('iamAudit.filter.any')}</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {t(`iamAudit.severity.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <Button type="submit" size="sm">
          {t('iamAudit.filter.apply')}
        </Button>
        <Link href="/iam-audit" className="text-primary underline">
          {t('iamAudit.filter.clear')}
        </Link>
      </form>

      {!parsed.success ? (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-danger">
          <p className="font-medium">{t('iamAudit.invalid')}</p>
          <ul className="mt-1 list-disc pl-5">
            {parsed.error.issues.map((issue, i) => (
              <li key={i}>{issue.message}</li>
            ))}
          </ul>
        </div>
      ) : null}

      {scan && filter ? (
        <Card>
          <div className="mb-3 flex flex-wrap items-center justify-between gap-3 text-sm">
            <p role="status" className="font-medium">
              {t('iamAudit.count', { shown: findings.length, total: scan.findings.length })}
            </p>
            <div className="flex gap-2">
              <Button asChild variant="secondary" size="sm">
                <a href={exportHref('csv')} download>
                  {t('iamAudit.export.csv')}
                </a>
              </Button>
              <Button asChild variant="secondary" size="sm">
                <a href={exportHref('json')} download>
                  {t('iamAudit.export.json')}
                </a>
              </Button>
            </div>
          </div>
          {findings.length === 0 ? (
            <p className="text-sm text-muted">{scan.findings.length === 0 ? t('iamAudit.none') : t('iamAudit.noneFiltered')}</p>
          ) : (
            <Table data-testid="iam-findings">
              <thead>
                <tr>
                  <Th>{t('iamAudit.col.severity')}</Th>
                  <Th>{t('iamAudit.col.kind')}</Th>
                  <Th>{t('iamAudit.col.principal')}</Th>
                  <Th>{t('iamAudit.col.policy')}</Th>
                  <Th>{t('iamAudit.col.statement')}</Th>
                  <Th>{t('iamAudit.col.suggestion')}</Th>
                </tr>
              </thead>
              <tbody>
                {findings.map((f) => (
                  <tr key={f.id} data-finding-id={f.id} data-kind={f.kind} data-principal={f.principal.name}>
                    <Td>
                      <Badge tone={TONE[f.severity]}>{t(`iamAudit.severity.${f.severity}`)}</Badge>
                    </Td>
                    <Td className="text-sm">
                      <p className="font-medium">{t(`iamAudit.kind.${f.kind}`)}</p>
                      <p className="max-w-xs text-muted">{whyText(f, t)}</p>
                    </Td>
                    <Td className="text-xs">
                      <p>
                        <span className="text-muted">{t(`iamAudit.principalType.${f.principal.type}`)} </span>
                        <span className="font-mono">{f.principal.name}</span>
                      </p>
                      <p className="break-all font-mono text-muted">{f.principal.arn}</p>
                    </Td>
                    <Td className="text-xs">
                      {f.policy ? (
                        <>
                          <p>
                            <span className="text-muted">
                              {f.policy.kind === 'inline' ? t('iamAudit.policy.inline') : f.policy.awsManaged ? t('iamAudit.policy.awsManaged') : t('iamAudit.policy.managed')}{' '}
                            </span>
                            <span className="font-mono">{f.policy.name}</span>
                          </p>
                          <p className="break-all font-mono text-muted">{f.policy.kind === 'managed' ? f.policy.arn : f.policy.ownerArn}</p>
                        </>
                      ) : (
                        '—'
                      )}
                    </Td>
                    <Td>
                      {f.statement ? (
                        <>
                          <p className="text-xs text-muted">{t('iamAudit.statementIndex', { index: f.statementIndex ?? 0 })}</p>
                          <PolicyJson value={f.statement} label={t('iamAudit.col.statement')} />
                        </>
                      ) : (
                        '—'
                      )}
                    </Td>
                    <Td>
                      <SuggestionCell f={f} t={t} />
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>
      ) : null}
    </div>
  );
}
