import Link from 'next/link';
import { ApplyBaselineButton, DecideBaselineForm, ProposeBaselineButton } from '@/components/iam-audit/baseline-actions';
import { AwsAccount } from '@/components/cloud/aws-account';
import { PolicyJson } from '@/components/iam-audit/policy-json';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { BASELINE_GROUP_NAME, BASELINE_POLICY_NAME, type BaselineMember, type BaselinePlan, type BaselineStatus } from '@/lib/iam-audit/baseline';
import { previewBaseline } from '@/lib/iam-audit/service';
import type { Translate } from '@/lib/i18n/messages';
import { requirePermission } from '@/lib/server/auth/guards';
import { can } from '@/lib/server/auth/permissions';
import { instantFormat } from '@/lib/i18n/format';
import { getTranslator } from '@/lib/server/i18n/locale';
import { iamAuditDeps } from '@/lib/server/iam-audit';
import { applyBaselineAction, decideBaselineAction, proposeBaselineAction } from '@/app/iam-audit/baseline/actions';
import { pageTitle } from '@/lib/server/i18n/metadata';

// The tab's title in the reader's language.
export const generateMetadata = pageTitle('title.baseline');

const TONE: Record<BaselineStatus, 'info' | 'ok' | 'danger' | 'neutral' | 'warn'> = {
  PROPOSED: 'info',
  APPROVED: 'warn',
  APPLIED: 'ok',
  APPLY_FAILED: 'danger',
  REJECTED: 'neutral',
  SUPERSEDED: 'neutral',
};

function Members({ members, t, testId }: { members: BaselineMember[]; t: Translate; testId: string }) {
  if (!members.length) return <p className="text-sm text-muted">{t('iamAudit.baseline.nobody')}</p>;
  return (
    <ul className="text-sm" data-testid={testId}>
      {members.map((m) => (
        <li key={m.iamUser} data-iam-user={m.iamUser}>
          <span className="font-mono">{m.iamUser}</span> <span className="text-muted">({m.name ?? t('iamAudit.baseline.unmapped')})</span>
        </li>
      ))}
    </ul>
  );
}

function PlanLists({ plan, t, prefix }: { plan: BaselinePlan; t: Translate; prefix: string }) {
  return (
    <div className="grid gap-4 md:grid-cols-3">
      <div>
        <h3 className="text-sm font-semibold">{t('iamAudit.baseline.add')}</h3>
        <Members members={plan.add} t={t} testId={`${prefix}-add`} />
      </div>
      <div>
        <h3 className="text-sm font-semibold">{t('iamAudit.baseline.remove')}</h3>
        <Members members={plan.remove} t={t} testId={`${prefix}-remove`} />
      </div>
      <div>
        <h3 className="text-sm font-semibold">{t('iamAudit.baseline.keep')}</h3>
        <Members members={plan.keep} t={t} testId={`${prefix}-keep`} />
      </div>
      {plan.skipped.length ? (
        <div className="md:col-span-3">
          <h3 className="text-sm font-semibold">{t('iamAudit.baseline.skipped')}</h3>
          <ul className="text-sm text-muted">
            {plan.skipped.map((s) => (
              <li key={s.userId}>{t(`iamAudit.baseline.skip.${s.reason}`, { name: s.name })}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

const sameMembers = (a: BaselineMember[], b: BaselineMember[]) =>
  a
    .map((m) => m.iamUser.toLowerCase())
    .sort()
    .join() ===
  b
    .map((m) => m.iamUser.toLowerCase())
    .sort()
    .join();

export default async function BaselinePage() {
  const actor = await requirePermission('iam.audit.read', '/iam-audit/baseline');
  const deps = iamAuditDeps();
  const [{ t, locale, zone }, preview, latest, portalAccount] = await Promise.all([
    getTranslator(),
    previewBaseline(deps),
    deps.store.latestPlan(),
    // The baseline is applied in the portal's own account (docs/decisions/039): the page names it.
    deps.iam.describeAccount(),
  ]);
  const when = instantFormat(locale, zone, 'dateTime', { seconds: true });
  const names = new Map([...preview.plan.keep, ...preview.plan.remove].map((m) => [m.iamUser.toLowerCase(), m.name]));
  const current: BaselineMember[] = (preview.members ?? [])
    .map((iamUser) => ({ iamUser, userId: null, name: names.get(iamUser.toLowerCase()) ?? null }))
    .sort((a, b) => a.iamUser.localeCompare(b.iamUser));
  const open = latest && ['PROPOSED', 'APPROVED', 'APPLY_FAILED'].includes(latest.status) ? latest : null;
  const stale = open && (!sameMembers(open.plan.add, preview.plan.add) || !sameMembers(open.plan.remove, preview.plan.remove));

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">{t('iamAudit.baseline.title')}</h1>
          <p className="max-w-3xl text-sm text-muted">{t('iamAudit.baseline.intro', { group: BASELINE_GROUP_NAME })}</p>
          <p className="text-sm" data-testid="baseline-account">
            {t('iamAudit.baseline.inAccount')} <AwsAccount account={{ accountId: portalAccount.accountId, alias: null }} />
          </p>
        </div>
        <div className="flex flex-wrap items-start gap-3">
          {can(actor, 'iam.baseline.propose') ? <ProposeBaselineButton propose={proposeBaselineAction} /> : null}
          <Link href="/iam-audit" className="text-sm text-primary underline">
            {t('iamAudit.baseline.back')}
          </Link>
        </div>
      </div>

      <Card data-testid="baseline-plan" data-plan-id={latest?.id}>
        <CardTitle>{t('iamAudit.baseline.plan')}</CardTitle>
        {!latest ? (
          <p className="text-sm text-muted">{t('iamAudit.baseline.noPlan')}</p>
        ) : (
          <div className="space-y-3">
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <Badge tone={TONE[latest.status]} data-testid="plan-status">
                {t(`iamAudit.baseline.status.${latest.status}`)}
              </Badge>
              <span>{t('iamAudit.baseline.proposedBy', { name: latest.authorName, time: when.format(latest.createdAt) })}</span>
              {latest.decidedByName && latest.decidedAt ? (
                <span>· {t('iamAudit.baseline.decidedBy', { name: latest.decidedByName, time: when.format(latest.decidedAt) })}</span>
              ) : null}
              {latest.appliedByName && latest.appliedAt ? (
                <span>· {t('iamAudit.baseline.appliedBy', { name: latest.appliedByName, time: when.format(latest.appliedAt) })}</span>
              ) : null}
            </div>
            {latest.decisionComment ? <p className="text-sm">{t('iamAudit.baseline.decisionComment', { comment: latest.decisionComment })}</p> : null}
            {latest.status === 'APPLY_FAILED' && latest.lastError ? (
              <Alert>{t('iamAudit.baseline.lastError', { attempts: latest.attempts, error: latest.lastError })}</Alert>
            ) : null}
            {stale ? <p className="text-sm text-amber-900">{t('iamAudit.baseline.stale')}</p> : null}
            <PlanLists plan={latest.plan} t={t} prefix="plan" />
            {latest.status === 'PROPOSED' && can(actor, 'iam.baseline.approve') ? (
              <DecideBaselineForm planId={latest.id} decide={decideBaselineAction} ownPlan={latest.authorId === actor.id} />
            ) : null}
            {(latest.status === 'APPROVED' || latest.status === 'APPLY_FAILED') && can(actor, 'iam.baseline.apply') ? (
              <ApplyBaselineButton planId={latest.id} apply={applyBaselineAction} retry={latest.status === 'APPLY_FAILED'} />
            ) : null}
          </div>
        )}
      </Card>

      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardTitle>{t('iamAudit.baseline.current')}</CardTitle>
          {preview.members === null ? (
            <p className="text-sm text-muted">{t('iamAudit.baseline.groupMissing')}</p>
          ) : (
            <Members members={current} t={t} testId="baseline-members" />
          )}
        </Card>
        <Card>
          <CardTitle>{t('iamAudit.baseline.document', { name: BASELINE_POLICY_NAME })}</CardTitle>
          <PolicyJson value={preview.document} />
          <p className="mt-2 text-xs text-muted">{t('iamAudit.baseline.listNote')}</p>
        </Card>
      </div>

      <Card>
        <CardTitle>{t('iamAudit.baseline.preview')}</CardTitle>
        <PlanLists plan={preview.plan} t={t} prefix="preview" />
      </Card>
    </div>
  );
}
