import 'server-only';
import type { AuditEntry } from '@/lib/audit/model';
import type { ReleaseStore } from '@/lib/deployments/ports';
import type { ReleaseFunction, ReleaseRecord } from '@/lib/deployments/releases';
import { prisma } from '@/lib/server/db/connection';
import { Prisma, type PrismaClient } from '@/lib/server/db/generated/client';
import { appendAuditEvent } from '@/lib/server/db/repositories/audit-append';

const releaseSelect = {
  id: true,
  contentSha256: true,
  gitCommit: true,
  gitDirty: true,
  functions: true,
  builtAt: true,
  builtBy: true,
} as const;

type ReleaseRow = Prisma.ReleaseGetPayload<{ select: typeof releaseSelect }>;

function toRecord(row: ReleaseRow): ReleaseRecord {
  return { ...row, functions: row.functions as unknown as ReleaseFunction[] };
}

/** The releases in the portal's database (docs/decisions/042-releases.md). */
export function createReleaseStore(db: PrismaClient = prisma()): ReleaseStore {
  return {
    async insertIfAbsent(release: ReleaseRecord, audit: AuditEntry) {
      return db.$transaction(
        async (tx) => {
          // Two recordings of the same build at once: the second waits here, then finds the first's row.
          await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${release.contentSha256}))::text AS locked`;
          const existing = await tx.release.findUnique({ where: { contentSha256: release.contentSha256 }, select: releaseSelect });
          if (existing) return { release: toRecord(existing), created: false };
          const row = await tx.release.create({
            data: { ...release, functions: release.functions as unknown as Prisma.InputJsonValue },
            select: releaseSelect,
          });
          await appendAuditEvent(tx, audit, null);
          return { release: toRecord(row), created: true };
        },
        { maxWait: 10_000, timeout: 20_000 },
      );
    },
    async find(id) {
      const row = await db.release.findUnique({ where: { id }, select: releaseSelect });
      return row ? toRecord(row) : null;
    },
    async list(limit) {
      const rows = await db.release.findMany({ select: releaseSelect, orderBy: [{ builtAt: 'desc' }, { id: 'asc' }], take: limit });
      return rows.map(toRecord);
    },
  };
}
