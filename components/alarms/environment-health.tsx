'use client';

import { useI18n } from '@/components/i18n-provider';
import { formatInstant } from '@/lib/i18n/format';
import { HealthBadge } from '@/components/alarms/state-badge';
import { secondsSince } from '@/components/alarms/use-clock';
import { cn } from '@/components/ui/cn';
import type { EnvironmentHealth, HealthStripCell } from '@/lib/alarms/environment-health';
import { environmentVerdict } from '@/lib/alarms/environment-verdict';
import type { DeployedRelease } from '@/lib/deployments/model';

const CELL_COLOR: Record<string, string> = { ok: 'bg-green-500', degraded: 'bg-amber-500', down: 'bg-red-600', none: 'bg-slate-200' };

/** The last 24 h as a strip of cells, each the worst check in it. */
function HealthStrip({ cells }: { cells: HealthStripCell[] }) {
  const { t, locale, zone } = useI18n();
  const label = (c: HealthStripCell) => {
    const from = formatInstant(c.from, locale, zone, 'time');
    const to = formatInstant(c.to, locale, zone, 'time');
    return c.status
      ? t('alarms.health.cell', { from, to, status: t(`alarms.health.${c.status}`), checks: c.checks, failures: c.failures })
      : t('alarms.health.cellEmpty', { from, to });
  };
  const failing = cells.filter((c) => c.status && c.status !== 'ok').length;
  return (
    <div>
      <p className="mb-1 text-xs text-muted">{t('alarms.health.strip')}</p>
      <div className="flex h-4 gap-px" role="img" aria-label={`${t('alarms.health.strip')}: ${failing}/${cells.length}`} data-testid="health-strip">
        {cells.map((c) => (
          <span key={c.from} title={label(c)} data-status={c.status ?? 'none'} className={cn('h-full flex-1 rounded-[1px]', CELL_COLOR[c.status ?? 'none'])} />
        ))}
      </div>
    </div>
  );
}

/** One environment's health: status, latency, database check, since when it fails, the strip. */
export function EnvironmentHealthView({
  health,
  now,
  inAlarm = 0,
  deployed,
  compact = false,
}: {
  health: EnvironmentHealth;
  now: number;
  /** Its alarms in ALARM: with any, the environment is not "Healthy" whatever its endpoint says. */
  inAlarm?: number;
  /** What it runs, as Deployments reads it; undefined when unknown. */
  deployed?: DeployedRelease;
  compact?: boolean;
}) {
  const { t, locale, zone } = useI18n();
  const latest = health.latest;
  const verdict = environmentVerdict(latest?.status ?? null, inAlarm);
  const checked = secondsSince(latest?.checkedAt ?? null, now);
  if (compact) {
    return (
      <span className="inline-flex items-center gap-2 text-xs" data-testid={`health-${health.environment}`}>
        <HealthBadge status={verdict} t={t} />
        {latest?.latencyMs != null && latest.httpStatus !== null ? (
          <span className="text-muted">{t('alarms.health.latency', { ms: latest.latencyMs })}</span>
        ) : null}
      </span>
    );
  }
  return (
    <div className="space-y-2 text-sm" data-testid={`health-${health.environment}`}>
      <div className="flex flex-wrap items-center gap-2">
        <HealthBadge status={verdict} t={t} />
        {latest ? (
          <span className="text-muted">
            {latest.httpStatus === null ? t('alarms.health.noAnswer') : t('alarms.health.latency', { ms: latest.latencyMs ?? 0 })}
          </span>
        ) : null}
        {deployed ? (
          <span className="text-xs text-muted" data-testid="deployed-release">
            {!deployed.deployed
              ? t('tables.health.notDeployed')
              : deployed.release
                ? t('tables.health.deployed', { release: deployed.release })
                : t('tables.health.deployedUnknown')}
          </span>
        ) : null}
      </div>
      {inAlarm > 0 ? (
        <p className="text-xs font-medium text-danger" data-testid="health-alarms">
          {t('tables.health.alarmReason', { count: inAlarm })}
        </p>
      ) : null}
      {latest ? (
        <p>
          <span className="text-muted">{t('alarms.health.db')}: </span>
          <span className={latest.dbOk === false ? 'text-danger' : latest.dbOk ? 'text-ok' : 'text-muted'} data-testid="health-db">
            {latest.dbOk === null
              ? t('alarms.health.dbUnknown')
              : latest.dbOk
                ? t('alarms.health.dbOk', { ms: latest.dbLatencyMs ?? 0 })
                : t('alarms.health.dbFailed')}
          </span>
        </p>
      ) : null}
      {latest?.error ? (
        <p className="break-words text-xs text-danger" data-testid="health-error">
          {latest.error}
        </p>
      ) : null}
      {health.failingSince ? (
        <p className="text-xs font-medium text-danger">
          {t('alarms.health.failingSince', { time: formatInstant(health.failingSince, locale, zone, 'dateTime', { seconds: true }) })}
        </p>
      ) : null}
      {health.stale && checked !== null ? <p className="text-xs text-warn">{t('alarms.health.stale', { seconds: checked })}</p> : null}
      {checked !== null && !health.stale ? <p className="text-xs text-muted">{t('alarms.health.checked', { seconds: checked })}</p> : null}
      <HealthStrip cells={health.strip} />
    </div>
  );
}
