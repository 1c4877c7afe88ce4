import 'server-only';
import type { CostCacheStore } from '@/lib/costs/ports';
import { prisma } from '@/lib/server/db/connection';
import type { Prisma, PrismaClient } from '@/lib/server/db/generated/client';

/** Days of older answers kept per query (only the newest is read; the rest help explain a bill). */
export const KEEP_DAYS = 7;

function dayBefore(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/** The Cost Explorer cache on the portal's database (docs/decisions/014-cost-explorer-cache.md). */
export function createCostCacheStore(db: PrismaClient = prisma()): CostCacheStore {
  return {
    async latest<T>(queryKey: string) {
      const row = await db.costQueryResult.findFirst({
        where: { queryKey },
        orderBy: { fetchedAt: 'desc' },
        select: { day: true, payload: true, fetchedAt: true },
      });
      return row ? { day: row.day, payload: row.payload as T, fetchedAt: row.fetchedAt } : null;
    },
    async acquireLease(queryKey, holder, now, until) {
      // Either the first lease of this query (insert wins once) or the takeover of an expired one
      // (one conditional UPDATE): of several replicas, exactly one gets it.
      const created = await db.costQueryLease.createMany({ data: [{ queryKey, holder, leaseUntil: until }], skipDuplicates: true });
      if (created.count === 1) return true;
      const taken = await db.costQueryLease.updateMany({ where: { queryKey, leaseUntil: { lte: now } }, data: { holder, leaseUntil: until } });
      return taken.count === 1;
    },
    async releaseLease(queryKey, holder) {
      await db.costQueryLease.deleteMany({ where: { queryKey, holder } });
    },
    async failure(queryKey) {
      return db.costQueryFailure.findUnique({ where: { queryKey }, select: { failedAt: true, retryAt: true, failures: true, code: true } });
    },
    async recordFailure(queryKey, f) {
      const data = { failedAt: f.failedAt, retryAt: f.retryAt, failures: f.failures, code: f.code };
      await db.costQueryFailure.upsert({ where: { queryKey }, create: { queryKey, ...data }, update: data });
    },
    async save(queryKey, day, payload, fetchedAt, requests) {
      const data = payload as unknown as Prisma.InputJsonValue;
      await db.$transaction([
        // An answer ends the query's run of failures.
        db.costQueryFailure.deleteMany({ where: { queryKey } }),
        db.costQueryResult.upsert({
          where: { queryKey_day: { queryKey, day } },
          create: { queryKey, day, payload: data, fetchedAt },
          update: { payload: data, fetchedAt },
        }),
        db.costExplorerRequest.createMany({ data: requests.map((r) => ({ at: r.at, operation: r.operation, queryKey: r.queryKey, mode: r.mode })) }),
        db.costQueryResult.deleteMany({ where: { queryKey, day: { lt: dayBefore(day, KEEP_DAYS) } } }),
      ]);
    },
    async recordRequests(requests) {
      await db.costExplorerRequest.createMany({ data: requests.map((r) => ({ at: r.at, operation: r.operation, queryKey: r.queryKey, mode: r.mode })) });
    },
    async countRequests(since) {
      return db.costExplorerRequest.count({ where: { at: { gte: since } } });
    },
  };
}
