import type { Clock } from '@/lib/alarms/cache';
import type { EnvironmentHealthSample, HealthCheckResult } from '@/lib/alarms/environment-health';
import type { AlarmRecord } from '@/lib/alarms/model';
import type { CacheMeta, CacheRow, CacheStore, HealthStore } from '@/lib/alarms/ports';

// In-memory implementations of the alarm ports for tests; the database ones are tested against
// real databases in lib/server/db/repositories/.

/**
 * A clock that moves only when told. `sleep` advances it and yields (fast tests of waiting), or with
 * `realSleep` waits for real without moving it (when the work waited for takes real time, e.g. a
 * database round trip, and must not look like seconds passing).
 */
export function manualClock(
  start = new Date('2026-11-30T09:00:00.000Z'),
  { realSleep = false } = {},
): Clock & { advance(ms: number): void; set(at: Date): void } {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    async sleep(ms) {
      if (realSleep) return new Promise((r) => setTimeout(r, ms));
      now += ms;
      await new Promise((r) => setImmediate(r));
    },
    advance(ms) {
      now += ms;
    },
    set(at) {
      now = at.getTime();
    },
  };
}

/** The CacheStore contract in memory, with each call delayed a tick like a database round trip. */
export function memoryCacheStore(): CacheStore & { rows: Map<string, CacheRow<unknown> & { leaseOwner: string | null }> } {
  const rows = new Map<string, CacheRow<unknown> & { leaseOwner: string | null }>();
  const tick = () => new Promise((r) => setImmediate(r));
  const meta = (r: CacheRow<unknown>): CacheMeta => ({
    key: r.key,
    version: r.version,
    fetchedAt: r.fetchedAt,
    nextFetchAt: r.nextFetchAt,
    leaseUntil: r.leaseUntil,
    failures: r.failures,
    error: r.error,
    failingSince: r.failingSince,
  });
  return {
    rows,
    async peek(key) {
      await tick();
      const r = rows.get(key);
      return r ? meta(r) : null;
    },
    async read<T>(key: string) {
      await tick();
      const r = rows.get(key);
      return r ? ({ ...meta(r), value: structuredClone(r.value) as T | null } as CacheRow<T>) : null;
    },
    async claim(key, owner, now, nextFetchAt, leaseUntil) {
      await tick();
      const r = rows.get(key);
      if (!r) {
        rows.set(key, {
          key,
          version: 0,
          value: null,
          fetchedAt: null,
          nextFetchAt,
          leaseUntil,
          leaseOwner: owner,
          failures: 0,
          error: null,
          failingSince: null,
        });
        return true;
      }
      if (r.nextFetchAt > now || (r.leaseUntil && r.leaseUntil > now)) return false;
      Object.assign(r, { nextFetchAt, leaseUntil, leaseOwner: owner });
      return true;
    },
    async saveValue(key, owner, value, fetchedAt) {
      await tick();
      const r = rows.get(key);
      if (!r || r.leaseOwner !== owner) return null;
      Object.assign(r, {
        value: structuredClone(value),
        fetchedAt,
        leaseUntil: null,
        leaseOwner: null,
        failures: 0,
        error: null,
        failingSince: null,
        version: r.version + 1,
      });
      return r.version;
    },
    async saveFailure(key, owner, error, at, nextFetchAt) {
      await tick();
      const r = rows.get(key);
      if (!r || r.leaseOwner !== owner) return null;
      Object.assign(r, {
        error,
        failingSince: r.failingSince ?? at,
        failures: r.failures + 1,
        nextFetchAt,
        leaseUntil: null,
        leaseOwner: null,
        version: r.version + 1,
      });
      return r.version;
    },
    async replaceValue(key, expectedVersion, value) {
      await tick();
      const r = rows.get(key);
      if (!r || r.version !== expectedVersion) return null;
      Object.assign(r, { value: structuredClone(value), version: r.version + 1 });
      return r.version;
    },
  };
}

/** The HealthStore contract in memory. */
export function memoryHealthStore(): HealthStore & { samples: EnvironmentHealthSample[] } {
  const samples: EnvironmentHealthSample[] = [];
  return {
    samples,
    async claimSlot(environment, slot, at) {
      if (samples.some((s) => s.environment === environment && s.slot === slot)) return false;
      samples.push({
        environment,
        slot,
        checkedAt: at.toISOString(),
        status: null,
        httpStatus: null,
        latencyMs: null,
        dbOk: null,
        dbLatencyMs: null,
        version: null,
        error: null,
      });
      return true;
    },
    async record(environment, slot, result: HealthCheckResult) {
      const s = samples.find((x) => x.environment === environment && x.slot === slot);
      if (s) Object.assign(s, result);
    },
    async listSince(since) {
      return samples.filter((s) => Date.parse(s.checkedAt) >= since.getTime()).sort((a, b) => a.slot - b.slot || a.environment.localeCompare(b.environment));
    },
    async pruneBefore(before) {
      const keep = samples.filter((s) => Date.parse(s.checkedAt) >= before.getTime());
      const removed = samples.length - keep.length;
      samples.splice(0, samples.length, ...keep);
      return removed;
    },
  };
}

/** A metric alarm record with the given name, namespace and dimensions. */
export function record(name: string, over: Partial<AlarmRecord> = {}): AlarmRecord {
  return {
    region: 'eu-central-1',
    name,
    arn: `arn:aws:cloudwatch:eu-central-1:111122223333:alarm:${name}`,
    type: 'metric',
    description: null,
    state: 'OK',
    stateReason: 'Threshold Crossed',
    stateUpdatedAt: '2026-11-30T08:00:00.000Z',
    actionsEnabled: true,
    alarmActions: [],
    okActions: [],
    insufficientDataActions: [],
    metric: null,
    metrics: null,
    period: 60,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'notBreaching',
    unit: null,
    rule: null,
    ...over,
  };
}
