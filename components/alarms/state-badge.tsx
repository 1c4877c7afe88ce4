import { Badge } from '@/components/ui/badge';
import type { AlarmState } from '@/lib/alarms/model';
import type { HealthStatus } from '@/lib/alarms/environment-health';
import type { Translate } from '@/lib/i18n/messages';

const STATE_TONE: Record<AlarmState, 'danger' | 'warn' | 'ok'> = { ALARM: 'danger', INSUFFICIENT_DATA: 'warn', OK: 'ok' };
const HEALTH_TONE: Record<HealthStatus, 'danger' | 'warn' | 'ok'> = { down: 'danger', degraded: 'warn', ok: 'ok' };

export function AlarmStateBadge({ state, t }: { state: AlarmState; t: Translate }) {
  return (
    <Badge tone={STATE_TONE[state]} data-testid="alarm-state">
      {t(`alarms.state.${state}`)}
    </Badge>
  );
}

export function HealthBadge({ status, t }: { status: HealthStatus | null; t: Translate }) {
  return (
    <Badge tone={status ? HEALTH_TONE[status] : 'neutral'} data-testid="health-badge">
      {status ? t(`alarms.health.${status}`) : t('alarms.health.unknown')}
    </Badge>
  );
}

/** The comparison of a threshold as a symbol: ≥ 80. */
export const COMPARISON_SYMBOL: Record<string, string> = {
  GreaterThanThreshold: '>',
  GreaterThanOrEqualToThreshold: '≥',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '≤',
  LessThanLowerOrGreaterThanUpperThreshold: '<>',
  LessThanLowerThreshold: '<',
  GreaterThanUpperThreshold: '>',
};
