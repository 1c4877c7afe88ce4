import type { Metadata } from 'next';
import { Fragment } from 'react';
import { PolicyCompare } from '@/components/grants/policy-compare';
import { AwsAccount } from '@/components/cloud/aws-account';
import { ReconcileAccounts } from '@/components/grants/reconcile-accounts';
import { ReconcileButton } from '@/components/grants/reconcile-button';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { principalLabel } from '@/lib/grants/principals';
import type { FindingKind } from '@/lib/grants/reconcile';
import type { PolicyDocument } from '@/lib/grants/policy';
import { requirePermission } from '@/lib/server/auth/guards';
import { can } from '@/lib/server/auth/permissions';
import { getTranslator } from '@/lib/server/i18n/locale';
import { scanReconciliation } from '@/lib/server/reconcile';
import { fixAllFindingsAction, fixFindingAction } from '@/app/reconcile/actions';

export const metadata: Metadata = { title: 'Reconcile' };

const TONE: Record<FindingKind, 'danger' | 'warn'> = {
  ORPHAN: 'danger',
  DRIFT_DOCUMENT: 'danger',
  DRIFT_ATTACHMENT: 'warn',
  MISSING: 'warn',
  PRINCIPAL_GONE: 'warn',
};

function Json({ value }: { value: PolicyDocument | null }) {
  return <pre className="mt-1 max-w-full overflow-x-auto whitespace-pre rounded bg-slate-900 p-2 text-xs text-slate-100">{JSON.stringify(value, null, 2)}</pre>;
}

export default async function ReconcilePage() {
  const actor = await requirePermission('grant.reconcile.read', '/reconcile');
  const [{ t, locale }, scan] = await Promise.all([getTranslator(), scanReconciliation()]);
  const mayFix = can(actor, 'grant.reconcile.fix');
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t('grants.reconcile.title')}</h1>
        <p className="text-muted">{t('grants.reconcile.intro')}</p>
        <p className="mt-1 text-sm text-muted" data-testid="scanned-at">
          <time dateTime={scan.scannedAt.toISOString()}>
            {t('grants.reconcile.scannedAt', { time: when.format(scan.scannedAt), policies: scan.policyCount })}
          </time>
        </p>
      </div>
      <ReconcileAccounts accounts={scan.accounts} t={t} />
      <Card>
        {scan.findings.length === 0 ? (
          <p role="status" className="text-sm">
            {t('grants.reconcile.clean')}
          </p>
        ) : (
          <div className="space-y-3">
            <div className="flex items-center justify-between gap-3">
              <p role="status" className="text-sm font-medium">
                {t('grants.reconcile.count', { count: scan.findings.length })}
              </p>
              {mayFix ? <ReconcileButton run={fixAllFindingsAction} input={{}} all /> : null}
            </div>
            <Table data-testid="reconcile-findings">
              <thead>
                <tr>
                  <Th>{t('grants.reconcile.kind')}</Th>
                  <Th>{t('grants.reconcile.policy')}</Th>
                  <Th>{t('grants.reconcile.account')}</Th>
                  <Th>{t('grants.reconcile.principals')}</Th>
                  <Th>{t('grants.reconcile.difference')}</Th>
                  {mayFix ? <Th /> : null}
                </tr>
              </thead>
              <tbody>
                {scan.findings.map((f) => (
                  <Fragment key={f.id}>
                    <tr data-finding-id={f.id}>
                      <Td>
                        <Badge tone={TONE[f.kind]}>{t(`grants.reconcile.kind.${f.kind}`)}</Badge>
                      </Td>
                      <Td className="font-mono text-xs">
                        <div>{f.policyName}</div>
                        <div className="text-muted">
                          {f.grantId ? t('grants.reconcile.grant', { id: f.grantId, status: f.grantStatus ?? '' }) : t('grants.reconcile.noGrant')}
                        </div>
                      </Td>
                      <Td>
                        <AwsAccount account={f.account} />
                      </Td>
                      <Td className="font-mono text-xs">
                        {f.expectedPrincipal ? <div>{t('grants.reconcile.expectedPrincipal', { arn: f.expectedPrincipal.arn })}</div> : null}
                        <div>{t('grants.reconcile.attachedTo', { arns: f.attachedTo.map(principalLabel).join(', ') || t('grants.reconcile.nowhere') })}</div>
                      </Td>
                      <Td className="text-sm">
                        <p>{t(`grants.reconcile.explain.${f.kind}`)}</p>
                        {/* Two documents are compared in the full-width row below. */}
                        {!(f.actual && f.expected) && (f.actual ?? f.expected) ? (
                          <details>
                            <summary className="cursor-pointer text-primary">{t('grants.reconcile.document')}</summary>
                            <Json value={f.actual ?? f.expected} />
                          </details>
                        ) : null}
                      </Td>
                      {mayFix ? (
                        <Td>
                          <ReconcileButton run={fixFindingAction} input={{ findingId: f.id }} label={`${t('grants.reconcile.fix')} ${f.policyName}`} />
                        </Td>
                      ) : null}
                    </tr>
                    {f.actual && f.expected ? (
                      // The whole width of the table: both documents are read whole, side by side, differences highlighted.
                      <tr data-compare-for={f.id}>
                        <Td colSpan={mayFix ? 6 : 5}>
                          <details>
                            <summary className="cursor-pointer text-sm text-primary">
                              {t('grants.reconcile.documents')}: {f.policyName}
                            </summary>
                            <div className="mt-2">
                              <PolicyCompare
                                left={f.expected}
                                right={f.actual}
                                leftLabel={t('grants.reconcile.expected')}
                                rightLabel={t('grants.reconcile.actual')}
                                t={t}
                              />
                            </div>
                          </details>
                        </Td>
                      </tr>
                    ) : null}
                  </Fragment>
                ))}
              </tbody>
            </Table>
          </div>
        )}
      </Card>
    </div>
  );
}
