import 'server-only';
import type { EnvironmentHealthSample, HealthStatus } from '@/lib/alarms/environment-health';
import type { HealthStore } from '@/lib/alarms/ports';
import { prisma } from '@/lib/server/db/connection';
import type { EnvHealthStatus, PrismaClient } from '@/lib/server/db/generated/client';

const TO_DB: Record<HealthStatus, EnvHealthStatus> = { ok: 'OK', degraded: 'DEGRADED', down: 'DOWN' };
const FROM_DB: Record<EnvHealthStatus, HealthStatus> = { OK: 'ok', DEGRADED: 'degraded', DOWN: 'down' };

/** Health checks of the environments, one row per (environment, 30 s slot). */
export function createHealthStore(db: PrismaClient = prisma()): HealthStore {
  return {
    async claimSlot(environment, slot, at) {
      // The primary key (environment, slot) decides: one replica inserts, the others skip.
      const { count } = await db.envHealthCheck.createMany({ data: [{ environment, slot, checkedAt: at }], skipDuplicates: true });
      return count === 1;
    },

    async record(environment, slot, result, completedAt) {
      await db.envHealthCheck.update({
        where: { environment_slot: { environment, slot } },
        data: {
          status: TO_DB[result.status],
          httpStatus: result.httpStatus,
          latencyMs: result.latencyMs,
          dbOk: result.dbOk,
          dbLatencyMs: result.dbLatencyMs,
          version: result.version?.slice(0, 200) ?? null,
          error: result.error?.slice(0, 1000) ?? null,
          completedAt,
        },
        select: { slot: true },
      });
    },

    async listSince(since) {
      const rows = await db.envHealthCheck.findMany({
        where: { checkedAt: { gte: since } },
        orderBy: [{ slot: 'asc' }, { environment: 'asc' }],
        select: {
          environment: true,
          slot: true,
          checkedAt: true,
          status: true,
          httpStatus: true,
          latencyMs: true,
          dbOk: true,
          dbLatencyMs: true,
          version: true,
          error: true,
        },
      });
      return rows.map((r): EnvironmentHealthSample => ({ ...r, checkedAt: r.checkedAt.toISOString(), status: r.status ? FROM_DB[r.status] : null }));
    },

    async pruneBefore(before) {
      const { count } = await db.envHealthCheck.deleteMany({ where: { checkedAt: { lt: before } } });
      return count;
    },
  };
}
