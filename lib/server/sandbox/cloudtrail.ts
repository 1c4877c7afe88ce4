import 'server-only';
import type { ActivityQuery, CloudTrailPort } from '@/lib/reports/ports';
import type { SandboxStore } from '@/lib/server/db/repositories/sandbox-objects';

/** An event of the simulated account's history: who did what to which resource, when. */
interface StoredEvent {
  eventTime: string;
  eventName: string;
  principalArn: string;
  resourceArn: string;
}

/** The sandbox's CloudTrail, plus what only a simulation has: recording that someone used access. */
export interface SandboxCloudTrail extends CloudTrailPort {
  recordEvent(event: { at: Date; eventName: string; principalArn: string; resourceArn: string }): Promise<void>;
}

/**
 * The sandbox's CloudTrail of one simulated account (docs/decisions/051-reports.md): nothing in the
 * sandbox calls AWS, so nobody really reads a secret; a use is recorded with `recordEvent` (the
 * reports page's sandbox control) and the report's check finds it like LookupEvents would.
 */
export function createSandboxCloudTrail(store: SandboxStore): SandboxCloudTrail {
  return {
    async findActivity({ principalArn, resourceArn, start, end }: ActivityQuery) {
      const events = await store.list<StoredEvent>('cloudtrail', 'event');
      const found = events
        .map((e) => e.data)
        .filter((e) => e.principalArn === principalArn && e.resourceArn === resourceArn)
        .map((e) => ({ at: new Date(e.eventTime), eventName: e.eventName }))
        .filter((e) => e.at >= start && e.at <= end)
        .sort((a, b) => b.at.getTime() - a.at.getTime());
      return found[0] ?? null;
    },
    async recordEvent({ at, eventName, principalArn, resourceArn }) {
      const event: StoredEvent = { eventTime: at.toISOString(), eventName, principalArn, resourceArn };
      await store.put('cloudtrail', 'event', `${at.toISOString()} ${principalArn} ${resourceArn}`, { ...event });
    },
  };
}
