import type { HealthStatus } from '@/lib/alarms/environment-health';

// Apart from environment-health.ts, whose answer parsing pulls zod: the alarms page computes the
// verdict in the browser (docs/decisions/052-page-weight-budget.md).

/**
 * What an environment's badge says: its endpoint's answer, made worse by its alarms. An
 * environment with an alarm in ALARM is not "Healthy" even when its endpoint answers well
 * (issue 17, finding 7); a "down" endpoint stays down.
 */
export function environmentVerdict(endpoint: HealthStatus | null, alarmsInAlarm: number): HealthStatus | null {
  if (alarmsInAlarm > 0 && (endpoint === null || endpoint === 'ok')) return 'degraded';
  return endpoint;
}
