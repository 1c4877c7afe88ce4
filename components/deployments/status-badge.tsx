import { Badge } from '@/components/ui/badge';
import type { DeploymentStatus } from '@/lib/deployments/model';
import type { Translate } from '@/lib/i18n/messages';

const TONE: Record<DeploymentStatus, 'neutral' | 'info' | 'ok' | 'warn' | 'danger'> = {
  PLANNING: 'info',
  PLAN_FAILED: 'danger',
  PLANNED: 'info',
  APPROVAL_PENDING: 'warn',
  APPROVED: 'ok',
  REJECTED: 'danger',
  EXECUTING: 'info',
  SUCCEEDED: 'ok',
  FAILED: 'danger',
  ROLLED_BACK: 'danger',
  EXPIRED: 'neutral',
};

/** A deployment's status, coloured. */
export function DeploymentStatusBadge({ status, t }: { status: DeploymentStatus; t: Translate }) {
  return (
    <Badge tone={TONE[status]} data-deployment-status={status}>
      {t(`deploy.status.${status}`)}
    </Badge>
  );
}

/** A CloudFormation stack or resource status, coloured by how it ends. */
export function StackStatusBadge({ status }: { status: string }) {
  const tone = /FAILED|ROLLBACK/.test(status) ? 'danger' : /IN_PROGRESS/.test(status) ? 'info' : /COMPLETE/.test(status) ? 'ok' : 'neutral';
  return (
    <Badge tone={tone} className="font-mono" data-stack-status={status}>
      {status}
    </Badge>
  );
}
