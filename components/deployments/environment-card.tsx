import Link from 'next/link';
import { AwsAccount } from '@/components/cloud/aws-account';
import type { ComponentProps } from 'react';
import {
  DetectDriftButton,
  FailShiftForm,
  PlanForm,
  SimulateDriftForm,
  type PlanFormParameter,
  type PlanFormRelease,
} from '@/components/deployments/deployment-actions';
import { DriftStatus } from '@/components/deployments/drift-status';
import { Time } from '@/components/time';
import { DeploymentStatusBadge, StackStatusBadge } from '@/components/deployments/status-badge';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { describeSummary, type DiffSummary } from '@/lib/deployments/diff';
import { deployedRelease, type DeploymentStatus, type StackInfo } from '@/lib/deployments/model';
import type { AccountRef } from '@/lib/cloud/accounts';
import type { EnvironmentSlug } from '@/lib/environments';
import type { DriftCheckRecord } from '@/lib/deployments/ports';
import { shortRevision } from '@/lib/deployments/revision';
import type { Translate } from '@/lib/i18n/messages';

/** What the card shows of one environment (the shape of the deployments loader's overview). */
export interface EnvironmentCardData {
  environment: EnvironmentSlug;
  stackName: string;
  /** The AWS account the stack lives in (docs/decisions/039). */
  account?: AccountRef;
  stack: StackInfo | null;
  stackError: string | null;
  runningRevision: string | null;
  currentRevision: string | null;
  approvalsRequired: number;
  deployments: {
    lastExecuted: { id: string; status: DeploymentStatus; executedAt: Date | null; executedBy: string | null } | null;
    open: { id: string; status: DeploymentStatus; plannedAt: Date; plannedBy: string; summary: DiffSummary | null }[];
    lastDrift: DriftCheckRecord | null;
  };
  parameters: PlanFormParameter[];
  resources: string[];
  templateError: string | null;
}

/** The server actions the card's controls call. */
export interface EnvironmentCardActions {
  plan: ComponentProps<typeof PlanForm>['plan'];
  detect: ComponentProps<typeof DetectDriftButton>['detect'];
  simulate: ComponentProps<typeof SimulateDriftForm>['simulate'];
  /** Sandbox: fire a function's error alarm so that its next traffic shift rolls back; absent when the user may not set alarm states. */
  failShift?: ComponentProps<typeof FailShiftForm>['fail'];
}

function Revision({ o, t }: { o: EnvironmentCardData; t: Translate }) {
  if (!o.runningRevision) return <span className="text-muted">{t('deploy.revision.unknown')}</span>;
  const same = o.currentRevision !== null && o.runningRevision === o.currentRevision;
  return (
    <span className="flex flex-wrap items-center gap-2">
      <code className="text-xs" title={o.runningRevision} data-testid="running-revision">
        {shortRevision(o.runningRevision)}
      </code>
      <Badge tone={same ? 'ok' : 'warn'}>{same ? t('deploy.revision.upToDate') : t('deploy.revision.behind')}</Badge>
    </span>
  );
}

/** The stack, its revision, the last deployment and the approval rule. */
function StackFacts({ o, t }: { o: EnvironmentCardData; t: Translate }) {
  const last = o.deployments.lastExecuted;
  return (
    <dl className="grid grid-cols-[fit-content(40%)_minmax(0,1fr)] [overflow-wrap:anywhere] gap-x-3 gap-y-1 text-sm">
      <dt className="text-muted">{t('deploy.stack')}</dt>
      <dd className="font-mono text-xs">
        {o.stackName} <AwsAccount account={o.account} />
      </dd>
      {o.stackError ? (
        <>
          <dt />
          <Alert as="dd">{t('deploy.stackError', { error: o.stackError })}</Alert>
        </>
      ) : !o.stack || !deployedRelease(o.stack).deployed ? (
        <>
          <dt />
          <dd className="text-muted">{t('deploy.noStack')}</dd>
        </>
      ) : (
        <>
          <dt className="text-muted">{t('deploy.lastUpdated')}</dt>
          <dd>
            <Time value={o.stack.lastUpdatedAt ?? o.stack.createdAt} />
          </dd>
          <dt className="text-muted">{t('deploy.revision.running')}</dt>
          <dd>
            <Revision o={o} t={t} />
          </dd>
        </>
      )}
      <dt className="text-muted">{t('deploy.lastDeployment')}</dt>
      <dd>
        {last ? (
          <Link className="inline-flex items-center gap-2 text-primary underline" href={`/deployments/${last.id}`}>
            <DeploymentStatusBadge status={last.status} t={t} />
            {last.executedAt ? <Time value={last.executedAt} /> : null}
            {last.executedBy ? ` · ${last.executedBy}` : null}
          </Link>
        ) : (
          <span className="text-muted">{t('deploy.noDeployment')}</span>
        )}
      </dd>
      <dt className="text-muted">{t('deploy.approvalRule')}</dt>
      <dd>{o.approvalsRequired > 0 ? t('deploy.approvalsNeeded', { count: o.approvalsRequired }) : t('deploy.noApprovalNeeded')}</dd>
    </dl>
  );
}

function Outputs({ o, t }: { o: EnvironmentCardData; t: Translate }) {
  if (!o.stack || !o.stack.outputs.length) return null;
  return (
    <details>
      <summary className="cursor-pointer text-sm text-primary">
        {t('deploy.outputs')} ({o.stack.outputs.length})
      </summary>
      <dl className="mt-2 grid gap-1 text-xs" data-testid={`outputs-${o.environment}`}>
        {o.stack.outputs.map((out) => (
          <div key={out.key}>
            <dt className="font-mono font-medium">{out.key}</dt>
            <dd className="break-all font-mono text-muted">{out.value}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

function OpenPlans({ o, t }: { o: EnvironmentCardData; t: Translate }) {
  if (!o.deployments.open.length) return null;
  return (
    <div>
      <h3 className="text-sm font-semibold">{t('deploy.openPlans')}</h3>
      <ul className="mt-1 space-y-1 text-sm">
        {o.deployments.open.map((p) => (
          <li key={p.id}>
            <Link href={`/deployments/${p.id}`} className="inline-flex flex-wrap items-center gap-2 text-primary underline">
              <DeploymentStatusBadge status={p.status} t={t} /> <Time value={p.plannedAt} /> · {p.plannedBy}
            </Link>
            {p.summary ? <span className="block text-xs text-muted">{describeSummary(p.summary)}</span> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * One environment on the deployments page. `sandbox` adds the sandbox-only controls (simulated drift,
 * a resource to fail); `mayPlan` and `mayDrift` only hide controls, the actions authorize themselves.
 */
export function EnvironmentCard({
  o,
  t,
  sandbox,
  mayPlan,
  mayDrift,
  actions,
  releases = [],
}: {
  o: EnvironmentCardData;
  /** The recorded releases, newest first, for the plan form. */
  releases?: PlanFormRelease[];
  t: Translate;
  sandbox: boolean;
  mayPlan: boolean;
  mayDrift: boolean;
  actions: EnvironmentCardActions;
}) {
  const envLabel = t(`deploy.env.${o.environment}`);
  const stackReady = deployedRelease(o.stack).deployed;
  return (
    <Card data-testid={`environment-${o.environment}`} className="space-y-4">
      <div className="flex items-center justify-between gap-2">
        <CardTitle className="mb-0 text-lg">{envLabel}</CardTitle>
        {o.stack ? <StackStatusBadge status={o.stack.status} /> : null}
      </div>
      <StackFacts o={o} t={t} />
      <Outputs o={o} t={t} />
      <OpenPlans o={o} t={t} />
      <div className="space-y-2 border-t border-border pt-3">
        <div className="flex items-center justify-between gap-2">
          <h3 className="text-sm font-semibold">{t('deploy.drift.title')}</h3>
          {mayDrift && stackReady ? <DetectDriftButton environment={o.environment} detect={actions.detect} /> : null}
        </div>
        <div data-testid={`drift-${o.environment}`} className="text-sm">
          <DriftStatus drift={o.deployments.lastDrift} t={t} />
        </div>
        {sandbox && mayDrift && stackReady ? <SimulateDriftForm environment={o.environment} resources={o.resources} simulate={actions.simulate} /> : null}
      </div>
      {sandbox && actions.failShift && stackReady ? <FailShiftForm environment={o.environment} fail={actions.failShift} /> : null}
      {mayPlan ? (
        <div className="border-t border-border pt-3">
          {o.templateError ? (
            <Alert>{o.templateError}</Alert>
          ) : (
            <PlanForm
              environment={o.environment}
              label={t('deploy.plan.button', { env: envLabel })}
              parameters={o.parameters}
              failOptions={sandbox ? o.resources : null}
              releases={releases}
              plan={actions.plan}
            />
          )}
        </div>
      ) : null}
    </Card>
  );
}
