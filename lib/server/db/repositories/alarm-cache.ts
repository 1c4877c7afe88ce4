import 'server-only';
import type { CacheMeta, CacheRow, CacheStore } from '@/lib/alarms/ports';
import { prisma } from '@/lib/server/db/connection';
import type { Prisma, PrismaClient } from '@/lib/server/db/generated/client';

// The shared cache of CloudWatch and SNS answers (docs/decisions/012-alarm-cache.md).

const metaSelect = {
  key: true,
  version: true,
  fetchedAt: true,
  nextFetchAt: true,
  leaseUntil: true,
  failures: true,
  errorCode: true,
  errorMessage: true,
  failingSince: true,
} as const;

type MetaRow = Prisma.AlarmCacheEntryGetPayload<{ select: typeof metaSelect }>;

function toMeta(r: MetaRow): CacheMeta {
  return {
    key: r.key,
    version: r.version,
    fetchedAt: r.fetchedAt,
    nextFetchAt: r.nextFetchAt,
    leaseUntil: r.leaseUntil,
    failures: r.failures,
    error: r.errorCode ? { code: r.errorCode, message: r.errorMessage ?? '' } : null,
    failingSince: r.failingSince,
  };
}

/** The cache store on the portal's database: every replica shares its rows. */
export function createAlarmCacheStore(db: PrismaClient = prisma()): CacheStore {
  return {
    async peek(key) {
      const row = await db.alarmCacheEntry.findUnique({ where: { key }, select: metaSelect });
      return row ? toMeta(row) : null;
    },

    async read<T>(key: string): Promise<CacheRow<T> | null> {
      const row = await db.alarmCacheEntry.findUnique({ where: { key }, select: { ...metaSelect, value: true } });
      return row ? { ...toMeta(row), value: (row.value ?? null) as T | null } : null;
    },

    async claim(key, owner, now, nextFetchAt, leaseUntil) {
      // Either statement is atomic: the insert of a new key (ON CONFLICT DO NOTHING), or the update
      // of a row that is due and not leased. Of several callers at the same moment, on any number
      // of replicas, exactly one gets a count of 1.
      const created = await db.alarmCacheEntry.createMany({
        data: [{ key, nextFetchAt, leaseUntil, leaseOwner: owner, updatedAt: now }],
        skipDuplicates: true,
      });
      if (created.count === 1) return true;
      const taken = await db.alarmCacheEntry.updateMany({
        where: { key, nextFetchAt: { lte: now }, OR: [{ leaseUntil: null }, { leaseUntil: { lte: now } }] },
        data: { nextFetchAt, leaseUntil, leaseOwner: owner, updatedAt: now },
      });
      return taken.count === 1;
    },

    async saveValue<T>(key: string, owner: string, value: T, fetchedAt: Date) {
      const rows = await db.alarmCacheEntry.updateManyAndReturn({
        where: { key, leaseOwner: owner },
        data: {
          value: value as Prisma.InputJsonValue,
          fetchedAt,
          leaseUntil: null,
          leaseOwner: null,
          failures: 0,
          errorCode: null,
          errorMessage: null,
          failingSince: null,
          version: { increment: 1 },
          updatedAt: new Date(),
        },
        select: { version: true },
      });
      return rows[0]?.version ?? null;
    },

    async saveFailure(key, owner, error, at, nextFetchAt) {
      const [rows] = await db.$transaction([
        db.alarmCacheEntry.updateManyAndReturn({
          where: { key, leaseOwner: owner },
          data: {
            errorCode: error.code.slice(0, 64),
            errorMessage: error.message.slice(0, 1000),
            failures: { increment: 1 },
            nextFetchAt,
            leaseUntil: null,
            leaseOwner: null,
            version: { increment: 1 },
            updatedAt: at,
          },
          select: { version: true },
        }),
        // The first failure of a run marks since when; later ones keep it.
        db.alarmCacheEntry.updateMany({ where: { key, failingSince: null, errorCode: { not: null } }, data: { failingSince: at } }),
      ]);
      return rows[0]?.version ?? null;
    },

    async replaceValue<T>(key: string, expectedVersion: number, value: T) {
      const rows = await db.alarmCacheEntry.updateManyAndReturn({
        where: { key, version: expectedVersion },
        data: { value: value as Prisma.InputJsonValue, version: { increment: 1 }, updatedAt: new Date() },
        select: { version: true },
      });
      return rows[0]?.version ?? null;
    },
  };
}
