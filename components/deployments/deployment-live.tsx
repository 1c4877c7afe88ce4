'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';
import { fetchJson } from '@/components/fetch-json';
import { useI18n } from '@/components/i18n-provider';
import { Time } from '@/components/time';
import { DeploymentStatusBadge, StackStatusBadge } from '@/components/deployments/status-badge';
import { TrafficShift } from '@/components/deployments/traffic-shift';
import { Alert } from '@/components/ui/alert';
import { Card, CardTitle } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { isLive, type LiveDeployment } from '@/lib/deployments/live';

const fetchDeployment = (id: string) => fetchJson<LiveDeployment>(`/api/v1/deployments/${encodeURIComponent(id)}`);

/**
 * The deployment as it happens: polled every 2 s while CloudFormation works (the server's job reads
 * the stack events every ~3 s), with the first failure on top, the rollback as it happens, the
 * progress bar and the events newest first. When the status changes, the page's server parts
 * (approvals, actions, diff) are re-rendered.
 */
export function DeploymentLive({ initial }: { initial: LiveDeployment }) {
  const { t } = useI18n();
  const router = useRouter();
  const { data, error } = useQuery({
    queryKey: ['deployment', initial.id],
    queryFn: () => fetchDeployment(initial.id),
    initialData: initial,
    staleTime: 1_000,
    refetchInterval: (query) => (query.state.data && isLive(query.state.data.status) ? 2_000 : false),
  });
  const d = data ?? initial;
  const seen = useRef(initial.status);
  // A server render after an action (execute, approve) brings newer data than the cache holds:
  // take it, so that polling starts when the deployment does.
  const queryClient = useQueryClient();
  useEffect(() => {
    seen.current = initial.status;
    queryClient.setQueryData(['deployment', initial.id], initial);
  }, [initial, queryClient]);
  // A status change seen by polling re-renders the server parts (approvals, actions, diff).
  useEffect(() => {
    if (seen.current !== d.status) {
      seen.current = d.status;
      router.refresh();
    }
  }, [d.status, router]);

  const started = d.executedAt !== null;
  const rollingBack = d.rollbackStartedAt !== null && d.status === 'EXECUTING';
  return (
    <div className="space-y-4" data-testid="deployment-live">
      {d.failureReason ? (
        <Alert as="div" box testId="failure-reason" className="rounded-lg border-red-300 p-4 text-base">
          <p className="font-semibold">{t('deploy.live.failure', { resource: d.failedResource ?? d.stackName })}</p>
          <p className="mt-1 break-words font-mono text-sm">{d.failureReason}</p>
        </Alert>
      ) : null}
      {rollingBack ? (
        <div role="status" data-testid="rollback" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-amber-900">
          {t('deploy.live.rollingBack')} <Time value={d.rollbackStartedAt!} seconds />
        </div>
      ) : null}
      {d.status === 'ROLLED_BACK' ? (
        <div role="status" data-testid="rollback" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-amber-900">
          {t('deploy.live.rolledBack')}
        </div>
      ) : null}
      {d.planError && (d.status === 'PLAN_FAILED' || d.status === 'EXPIRED') ? (
        <p role="status" data-testid="plan-error" className="rounded-lg border border-border bg-slate-50 p-3 text-sm">
          {d.planError}
        </p>
      ) : null}
      {d.status === 'PLANNING' ? <p className="text-sm text-muted">{t('deploy.diff.preparing')}</p> : null}
      {started ? (
        <Card>
          <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
            <CardTitle className="mb-0">{t('deploy.live.progress')}</CardTitle>
            <div className="flex items-center gap-2">
              <DeploymentStatusBadge status={d.status} t={t} />
              {d.stackStatus ? <StackStatusBadge status={d.stackStatus} /> : null}
            </div>
          </div>
          <div
            role="progressbar"
            aria-label={t('deploy.live.progressLabel')}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={d.progress.percent}
            className="h-4 w-full overflow-hidden rounded-full bg-slate-200"
          >
            <div
              className={`h-full transition-all duration-500 ${d.status === 'SUCCEEDED' ? 'bg-green-600' : d.failureReason ? 'bg-red-600' : 'bg-primary'}`}
              style={{ width: `${d.progress.percent}%` }}
            />
          </div>
          <p className="mt-1 text-sm" data-testid="progress-text">
            {d.progress.percent} % · {t('deploy.live.resources', { done: d.progress.done, total: d.progress.total })}
          </p>
          {d.status === 'SUCCEEDED' ? <p className="mt-1 text-sm text-ok">{t('deploy.live.succeeded')}</p> : null}
          {d.status === 'FAILED' ? <p className="mt-1 text-sm text-danger">{t('deploy.live.failed')}</p> : null}
          {d.lastPollError ? <p className="mt-1 text-xs text-muted">{t('deploy.live.pollError', { error: d.lastPollError })}</p> : null}
          {error ? <p className="mt-1 text-xs text-danger">{t('deploy.live.unreachable')}</p> : null}
        </Card>
      ) : null}
      {started ? <TrafficShift traffic={d.traffic} created={d.changeSetType === 'CREATE'} t={t} /> : null}
      {started ? (
        <Card>
          <CardTitle>{t('deploy.live.events')}</CardTitle>
          {d.events.length === 0 ? (
            <p className="text-sm text-muted">{t('deploy.live.noEvents')}</p>
          ) : (
            <Table data-testid="events">
              <thead>
                <tr>
                  <Th>{t('deploy.live.time')}</Th>
                  <Th>{t('deploy.live.resource')}</Th>
                  <Th>{t('deploy.live.eventStatus')}</Th>
                  <Th>{t('deploy.live.reason')}</Th>
                </tr>
              </thead>
              <tbody>
                {d.events.map((e) => (
                  <tr key={e.id} data-event-status={e.status}>
                    <Td className="whitespace-nowrap text-xs">
                      <Time value={e.at} seconds />
                    </Td>
                    <Td>
                      <div className="font-mono text-xs">{e.logicalId}</div>
                      <div className="font-mono text-xs text-muted">{e.resourceType}</div>
                    </Td>
                    <Td>
                      <StackStatusBadge status={e.status} />
                    </Td>
                    <Td className="max-w-md break-words text-xs">{e.reason}</Td>
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
