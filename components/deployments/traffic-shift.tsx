import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import type { FunctionTraffic } from '@/lib/deployments/traffic';
import type { Translate } from '@/lib/i18n/messages';

function statusTone(status: string | undefined): 'ok' | 'warn' | 'danger' | 'neutral' {
  if (status === 'Succeeded') return 'ok';
  if (status === 'Stopped' || status === 'Failed') return 'danger';
  if (status) return 'warn';
  return 'neutral';
}

/**
 * The traffic shift of each function (docs/decisions/044-traffic-shift.md): the share of the alias
 * `live` on the new version, the versions, CodeDeploy's configuration and status, the alarms it
 * watches with their state, and an automatic rollback with its reason. Plain props: rendered inside
 * the live view, which polls.
 */
export function TrafficShift({ traffic, created = false, t }: { traffic: FunctionTraffic[] | null; created?: boolean; t: Translate }) {
  return (
    <Card data-testid="traffic-shift">
      <CardTitle>{t('deploy.shift.title')}</CardTitle>
      {!traffic || traffic.every((f) => !f.deployment) ? (
        <p className="text-sm text-muted">{t(created ? 'deploy.shift.create' : 'deploy.shift.none')}</p>
      ) : (
        <Table>
          <thead>
            <tr>
              <Th>{t('deploy.shift.function')}</Th>
              <Th>{t('deploy.shift.onNew')}</Th>
              <Th>{t('deploy.shift.versions')}</Th>
              <Th>{t('deploy.shift.codeDeploy')}</Th>
              <Th>{t('deploy.shift.alarms')}</Th>
            </tr>
          </thead>
          <tbody>
            {traffic.map((f) => {
              const d = f.deployment;
              return (
                <tr
                  key={f.function}
                  data-function={f.function}
                  data-percent={f.newVersionPercent}
                  data-shift-status={d?.status ?? 'none'}
                  data-rolled-back={d?.rolledBack ? 'true' : 'false'}
                >
                  <Td className="font-mono text-xs">{f.functionName}</Td>
                  <Td>
                    {d ? (
                      <div className="min-w-32">
                        <div
                          role="meter"
                          aria-label={t('deploy.shift.meter', { fn: f.function })}
                          aria-valuemin={0}
                          aria-valuemax={100}
                          aria-valuenow={f.newVersionPercent}
                          className="h-2 w-full overflow-hidden rounded-full bg-slate-200"
                        >
                          <div
                            className={`h-full ${d.rolledBack ? 'bg-red-600' : f.newVersionPercent === 100 ? 'bg-green-600' : 'bg-primary'}`}
                            style={{ width: `${f.newVersionPercent}%` }}
                          />
                        </div>
                        <span className="text-xs">{t('deploy.shift.percent', { percent: f.newVersionPercent })}</span>
                      </div>
                    ) : (
                      <span className="text-xs text-muted">{t('deploy.shift.noShift')}</span>
                    )}
                  </Td>
                  <Td className="whitespace-nowrap font-mono text-xs">
                    {d?.fromVersion && d.toVersion
                      ? t('deploy.shift.fromTo', { from: d.fromVersion, to: d.toVersion })
                      : f.aliasVersion
                        ? t('deploy.shift.aliasOn', { version: f.aliasVersion })
                        : '—'}
                  </Td>
                  <Td className="text-xs">
                    {d ? (
                      <>
                        <Badge tone={statusTone(d.status)}>{d.status}</Badge>
                        <div className="mt-1 font-mono text-muted">{d.config.replace('CodeDeployDefault.', '')}</div>
                        <div className="font-mono text-muted">{d.id}</div>
                        {d.rolledBack ? (
                          <p role="status" data-testid={`shift-rollback-${f.function}`} className="mt-1 max-w-md break-words text-danger">
                            {t('deploy.shift.rolledBack', { reason: d.reason ?? d.status })}
                          </p>
                        ) : null}
                      </>
                    ) : (
                      '—'
                    )}
                  </Td>
                  <Td className="text-xs">
                    {d?.alarms.length
                      ? d.alarms.map((a) => (
                          <div key={a.name} data-alarm={a.name} data-alarm-state={a.state ?? 'UNKNOWN'} className="flex items-center gap-1">
                            <Badge tone={a.state === 'ALARM' ? 'danger' : a.state === 'OK' ? 'ok' : 'neutral'}>{a.state ?? '?'}</Badge>
                            <span className="font-mono">{a.name}</span>
                          </div>
                        ))
                      : '—'}
                  </Td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      )}
    </Card>
  );
}
