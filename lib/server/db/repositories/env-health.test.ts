import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { healthSlot, type HealthCheckResult } from '@/lib/alarms/environment-health';
import { getEnvironmentHealth, pollEnvironmentHealth } from '@/lib/alarms/service';
import { manualClock } from '@/lib/alarms/test-fakes';
import { createHealthStore } from '@/lib/server/db/repositories/env-health';
import { createTestDatabase, testDatabaseKinds } from '@/lib/server/db/test-databases';

const OK: HealthCheckResult = { status: 'ok', httpStatus: 200, latencyMs: 41, dbOk: true, dbLatencyMs: 3, version: '2026.11.30', error: null };
const DEGRADED: HealthCheckResult = {
  status: 'degraded',
  httpStatus: 503,
  latencyMs: 5010,
  dbOk: false,
  dbLatencyMs: 5000,
  version: null,
  error: 'database check failed: timeout',
};

describe.each(testDatabaseKinds())('health store on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => db.drop());

  it('checks each environment once per slot however many replicas poll, keeps 24 h, and summarizes', async () => {
    const store = createHealthStore(db.prisma);
    const clock = manualClock(new Date('2026-11-30T09:00:05.000Z'));
    const check = vi.fn(async (env: string) => (env === 'prod' ? DEGRADED : OK));
    const deps = { source: { environments: () => ['dev', 'prod'], check }, store, clock };

    const runs = await Promise.all(Array.from({ length: 6 }, () => pollEnvironmentHealth(deps)));
    expect(runs.flatMap((r) => r.checked).sort()).toEqual(['dev', 'prod']);
    expect(check).toHaveBeenCalledTimes(2);

    clock.advance(30_000);
    await Promise.all([pollEnvironmentHealth(deps), pollEnvironmentHealth(deps)]);
    expect(check).toHaveBeenCalledTimes(4);

    const samples = await store.listSince(new Date('2026-11-30T00:00:00.000Z'));
    expect(samples).toHaveLength(4);
    expect(samples[1]).toEqual({
      environment: 'prod',
      slot: healthSlot(new Date('2026-11-30T09:00:05.000Z')),
      checkedAt: '2026-11-30T09:00:05.000Z',
      ...DEGRADED,
    });

    const health = await getEnvironmentHealth(deps);
    expect(health.map((h) => [h.environment, h.latest?.status, h.failingSince, h.stale])).toEqual([
      ['prod', 'degraded', '2026-11-30T09:00:05.000Z', false],
      ['dev', 'ok', null, false],
    ]);

    clock.advance(24 * 3_600_000);
    await pollEnvironmentHealth(deps);
    expect(await store.listSince(new Date(0))).toHaveLength(4);
    expect(await store.pruneBefore(new Date('2026-12-01T09:00:30.000Z'))).toBe(2);
  });

  it('shows a claimed slot whose check never finished as without status', async () => {
    const store = createHealthStore(db.prisma);
    expect(await store.claimSlot('staging', 1, new Date('2026-11-30T10:00:00.000Z'))).toBe(true);
    expect(await store.claimSlot('staging', 1, new Date('2026-11-30T10:00:00.000Z'))).toBe(false);
    const [row] = (await store.listSince(new Date('2026-11-30T10:00:00.000Z'))).filter((s) => s.environment === 'staging');
    expect(row).toMatchObject({ status: null, httpStatus: null, error: null });
  });
});
