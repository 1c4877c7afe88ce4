import type { ComponentProps } from 'react';
import { DeploymentDecisionForm, ExecuteButton } from '@/components/deployments/deployment-actions';
import { Time } from '@/components/time';
import { PlanWarnings } from '@/components/deployments/plan-warnings';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import type { DeploymentStatus } from '@/lib/deployments/model';
import type { ApprovalRecord } from '@/lib/deployments/ports';
import type { PlanWarning } from '@/lib/deployments/warnings';
import type { Translate } from '@/lib/i18n/messages';

/**
 * A plan's approvals and what the viewer may do next: decide (`mayDecide`) or execute (`mayExecute`).
 * The author is told why they cannot approve their own plan; the actions authorize themselves.
 */
export function DeploymentApprovals({
  deployment: d,
  envLabel,
  isAuthor,
  mayDecide,
  mayExecute,
  confirmationRequired,
  warnings,
  decide,
  execute,
  t,
}: {
  deployment: {
    id: string;
    stackName: string;
    status: DeploymentStatus;
    approvalsRequired: number;
    approvals: (ApprovalRecord & { approverName: string })[];
  };
  /** A prod plan with warnings: approving needs the stack name typed. */
  confirmationRequired: boolean;
  warnings: readonly PlanWarning[];
  envLabel: string;
  isAuthor: boolean;
  mayDecide: boolean;
  mayExecute: boolean;
  decide: ComponentProps<typeof DeploymentDecisionForm>['decide'];
  execute: ComponentProps<typeof ExecuteButton>['execute'];
  t: Translate;
}) {
  const approvals = d.approvals.filter((a) => a.kind === 'APPROVE').length;
  return (
    <Card>
      <CardTitle>{t('deploy.approvals.title', { count: approvals, required: d.approvalsRequired })}</CardTitle>
      {d.approvalsRequired === 0 ? <p className="mb-3 text-sm text-muted">{t('deploy.approvals.notNeeded', { env: envLabel })}</p> : null}
      {d.approvals.length ? (
        <ul className="mb-3 space-y-2 text-sm" data-testid="deployment-approvals">
          {d.approvals.map((a) => (
            <li key={a.id}>
              <Badge tone={a.kind === 'APPROVE' ? 'ok' : 'danger'}>
                {a.kind === 'APPROVE' ? t('deploy.approvals.approved') : t('deploy.approvals.rejected')}
              </Badge>{' '}
              {a.approverName} · <Time value={a.createdAt} />
              {a.comment ? <p className="text-muted">“{a.comment}”</p> : null}
            </li>
          ))}
        </ul>
      ) : d.approvalsRequired > 0 ? (
        <p className="mb-3 text-sm text-muted">{t('deploy.approvals.none')}</p>
      ) : null}
      {isAuthor && d.status === 'APPROVAL_PENDING' ? (
        <p className="mb-3 text-sm" data-testid="author-cannot-approve">
          {t('deploy.approvals.author')}
        </p>
      ) : null}
      {warnings.length ? (
        <div className="mb-3">
          <PlanWarnings warnings={warnings} t={t} />
        </div>
      ) : null}
      {mayDecide ? <DeploymentDecisionForm id={d.id} decide={decide} confirmStackName={confirmationRequired ? d.stackName : null} /> : null}
      {mayExecute ? (
        <div className="mt-3 border-t border-border pt-3">
          <ExecuteButton id={d.id} execute={execute} />
        </div>
      ) : d.status === 'APPROVAL_PENDING' ? (
        <p className="mt-3 text-sm text-muted">{t('deploy.execute.waiting')}</p>
      ) : null}
    </Card>
  );
}
