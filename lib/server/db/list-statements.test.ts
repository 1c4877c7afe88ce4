import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRequest, decideRequest } from '@/lib/access/service';
import { listRequestsSchema, type CreateRequestInput } from '@/lib/access/schemas';
import { auditFilterSchema } from '@/lib/audit/schemas';
import { databaseOf, openDatabase } from '@/lib/server/db/database';
import { Prisma } from '@/lib/server/db/generated/client';
import { queryReadOnly, sqlLimit } from '@/lib/server/db/json-page';
import { createAccessStore } from '@/lib/server/db/repositories/access';
import { appendAuditEvent } from '@/lib/server/db/repositories/audit-append';
import { auditPageStatement, listAuditEventsJson } from '@/lib/server/db/repositories/audit';
import { listRequestsJson, requestsPageStatement } from '@/lib/server/db/repositories/requests-read';
import { findActiveActor } from '@/lib/server/db/repositories/users';
import { createTestDatabase, seededAccountFor, signedIn, testDatabaseKinds } from '@/lib/server/db/test-databases';
import { describeError } from '@/lib/server/http/errors';
import { seed } from '@/prisma/seed';

// The list pages' prepared path (docs/decisions/055-list-statements-prepared.md) against Prisma's
// $queryRaw, on both databases. The process runs in Seoul (UTC+9): a Date parameter sent as local
// time with its offset would land nine hours off in a TIMESTAMP(3) column, which keeps no zone.
const zoneBefore = process.env.TZ;

describe.each(testDatabaseKinds())('list statements on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const created: string[] = [];
  beforeAll(async () => {
    process.env.TZ = 'Asia/Seoul';
    db = await createTestDatabase(kind);
    await seed(db.prisma);
    const minji = (await findActiveActor('usr_minji_kim', db.prisma))!;
    const seoyeon = (await findActiveActor('usr_seoyeon_park', db.prisma))!;
    // Around midnight in Seoul (15:00 UTC): the pages' cursors fall on either side of a local date.
    for (let i = 0; i < 6; i++) {
      const now = new Date(Date.UTC(2026, 10, 29, 14, 58 + i));
      const deps = { store: createAccessStore(db.prisma), accountFor: seededAccountFor, now: () => now };
      const r = await createRequest(
        deps,
        minji,
        {
          type: 'SECRET_READ',
          secretId: i % 2 ? 'sec_dev_payments_stripe_api_key' : 'sec_prod_payments_stripe_api_key',
          justification: `Prepared list request ${i}`,
          durationMinutes: 60,
          breakGlass: false,
        } as CreateRequestInput,
        null,
      );
      if (i === 2) await decideRequest(deps, signedIn(seoyeon, now), { requestId: r.id, kind: 'REJECT', comment: '' }, null);
      created.push(r.id);
    }
    for (let i = 0; i < 6; i++) {
      const entry = {
        occurredAt: new Date(Date.UTC(2026, 10, 29, 14, 58 + i)),
        actorId: i % 2 ? 'usr_minji_kim' : 'usr_seoyeon_park',
        actorName: i % 2 ? 'Minji Kim' : 'Seo-yeon Park',
        action: i % 3 ? 'request.created' : 'request.approved',
        targetType: 'request',
        targetId: `req_tz_${i}`,
        environment: i % 2 ? 'DEV' : 'PROD',
        teamId: 'team_payments',
        requestId: `req_tz_${i}`,
      } as const;
      await db.prisma.$transaction((tx) => appendAuditEvent(tx, entry, null));
    }
  });
  afterAll(async () => {
    await db.drop();
    if (zoneBefore === undefined) delete process.env.TZ;
    else process.env.TZ = zoneBefore;
  });

  const samePath = async (statement: Prisma.Sql) => {
    const viaPrisma = await db.prisma.$queryRaw<unknown[]>(statement);
    expect(await db.queryReadOnly(statement)).toEqual(viaPrisma);
    return viaPrisma as { rows: string; more: boolean; last: string | number | null }[];
  };

  it('runs in Seoul', () => {
    expect(new Date(Date.UTC(2026, 10, 29, 15)).getTimezoneOffset()).toBe(-540);
  });

  it('the repositories reach the prepared path through the client they are given, not a transaction client', async () => {
    expect(databaseOf(db.prisma)).toBe(db);
    const spy = vi.spyOn(db, 'queryReadOnly');
    await listRequestsJson(listRequestsSchema.parse({ scope: 'all' }), null, db.prisma);
    await listAuditEventsJson(auditFilterSchema.parse({}), db.prisma);
    expect(spy).toHaveBeenCalledTimes(2);
    spy.mockRestore();
    // In a transaction, the page sees the transaction's own writes (Prisma's path, same connection).
    const seen = await db.prisma
      .$transaction(async (tx) => {
        await tx.accessRequest.update({ where: { id: created[0]! }, data: { ticketRef: 'TX-ONLY' } });
        expect(databaseOf(tx as never)).toBeUndefined();
        const page = JSON.parse(await listRequestsJson(listRequestsSchema.parse({ scope: 'all', limit: 100 }), null, tx as never)) as {
          requests: { id: string; ticketRef: string | null }[];
        };
        throw Object.assign(new Error('rollback'), { page });
      })
      .catch((e: { page?: { requests: { id: string; ticketRef: string | null }[] } }) => e.page);
    expect(seen?.requests.find((r) => r.id === created[0])?.ticketRef).toBe('TX-ONLY');
  });

  it('returns for every request list shape exactly what Prisma returns, cursor pages included', async () => {
    const shapes = [
      { scope: 'all', limit: 2 },
      { scope: 'all', status: 'REJECTED' },
      { scope: 'all', status: 'PENDING', environment: 'PROD', type: 'SECRET_READ', limit: 1 },
    ];
    for (const input of shapes) await samePath(requestsPageStatement(listRequestsSchema.parse(input), null));
    await samePath(requestsPageStatement(listRequestsSchema.parse({}), 'usr_minji_kim'));
    // Page by page, newest first, across 00:00 in Seoul: every page's rows are older than its cursor.
    const expected = (await db.prisma.accessRequest.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { id: true } })).map((r) => r.id);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 20; guard++) {
      const [page] = await samePath(requestsPageStatement(listRequestsSchema.parse({ scope: 'all', limit: 2, cursor }), null));
      seen.push(...(JSON.parse(page!.rows) as { id: string }[]).map((r) => r.id));
      if (!page!.more) break;
      cursor = page!.last as string;
    }
    expect(seen).toEqual(expected);
    expect(seen.slice(0, 6)).toEqual([...created].reverse());
  });

  it('returns for every audit list shape exactly what Prisma returns, time ranges included', async () => {
    const shapes = [
      { limit: 2 },
      { action: 'request.approved', environment: 'PROD' },
      { actor: 'usr_minji_kim', team: 'team_payments', q: 'minji' },
      { request: 'req_tz_3' },
    ];
    for (const input of shapes) await samePath(auditPageStatement(auditFilterSchema.parse(input)));
    // 23:59 to 00:01 in Seoul, written in UTC: the events of those UTC minutes, whatever the process's zone.
    const from = new Date('2026-11-29T14:59:00Z');
    const to = new Date('2026-11-29T15:01:00Z');
    const [range] = await samePath(auditPageStatement(auditFilterSchema.parse({ from: from.toISOString(), to: to.toISOString() })));
    const inRange = await db.prisma.auditEvent.findMany({ where: { occurredAt: { gte: from, lte: to } }, orderBy: { seq: 'desc' }, select: { seq: true } });
    const rangeSeqs = (JSON.parse(range!.rows) as { seq: number; targetId: string }[]).map((e) => e.seq);
    expect(rangeSeqs).toEqual(inRange.map((e) => e.seq));
    expect(rangeSeqs.length).toBeGreaterThanOrEqual(3);
    const seqs: number[] = [];
    let cursor: number | undefined;
    for (let guard = 0; guard < 50; guard++) {
      const [page] = await samePath(auditPageStatement(auditFilterSchema.parse({ limit: 4, cursor })));
      seqs.push(...(JSON.parse(page!.rows) as { seq: number }[]).map((e) => e.seq));
      if (!page!.more) break;
      cursor = page!.last as number;
    }
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(seqs.length).toBe(await db.prisma.auditEvent.count());
  });

  it('maps a failing statement as Prisma’s failure is mapped, and the next statement still runs', async () => {
    const bad = Prisma.sql`SELECT ${'not a number'}::int AS n`;
    const viaPrisma = await db.prisma.$queryRaw(bad).catch((e: unknown) => e);
    const prepared = await db.queryReadOnly(bad).catch((e: unknown) => e);
    expect(prepared).toBeInstanceOf(Error);
    const errorLog = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(describeError(prepared)).toEqual(describeError(viaPrisma));
    expect(describeError(prepared).status).toBe(500);
    errorLog.mockRestore();
    // More failures than the pool has connections: each one's connection went back (or was dropped).
    for (let i = 0; i < 12; i++) await expect(db.queryReadOnly(bad)).rejects.toThrow();
    expect(await db.queryReadOnly(Prisma.sql`SELECT ${41}::int + 1 AS n`)).toEqual([{ n: 42 }]);
  });
});

describe.runIf(testDatabaseKinds().includes('postgres'))('the prepared path on PostgreSQL', () => {
  it('refuses a column it would not return as Prisma does', async () => {
    const db = await createTestDatabase('postgres');
    try {
      await expect(db.queryReadOnly(Prisma.sql`SELECT 1::bigint AS n`)).rejects.toThrow(/column "n" has type oid 20/);
    } finally {
      await db.drop();
    }
  });

  it('prepares each statement shape once per connection, and prepares nothing when told not to', async () => {
    const statement = Prisma.sql`SELECT ${new Date('2026-11-29T15:00:00Z')}::timestamp(3)::text AS at, ${sqlLimit(7)}::int AS n`;
    for (const prepared of [true, false]) {
      // One connection, so Prisma's question below runs where the statement ran.
      const db = openDatabase({ url: process.env.TEST_POSTGRES_URL!, poolMax: 1, prepared });
      try {
        for (let i = 0; i < 3; i++) expect(await db.queryReadOnly(statement)).toEqual([{ at: '2026-11-29 15:00:00', n: 7 }]);
        const [held] = await db.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'gh\_%'`;
        expect(held!.n, `prepared: ${prepared}`).toBe(prepared ? 1 : 0);
      } finally {
        await db.close();
      }
    }
  });

  it('answers 503 when the server does not answer, as Prisma’s path does', async () => {
    // Nothing listens on port 1.
    const db = openDatabase({ url: 'postgres://nobody:nothing@127.0.0.1:1/none' });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const prepared = await queryReadOnly(db.prisma, Prisma.sql`SELECT 1::int AS n`).catch((e: unknown) => e);
      const viaPrisma = await db.prisma.$queryRaw`SELECT 1::int AS n`.catch((e: unknown) => e);
      expect(describeError(prepared).status).toBe(503);
      expect(describeError(viaPrisma).status).toBe(503);
    } finally {
      warn.mockRestore();
      await db.close();
    }
  });
});

describe("finding a client's database", () => {
  it('works from every copy of the module, as Next.js bundles one per route and one for instrumentation', async () => {
    const db = openDatabase({ memory: true });
    try {
      vi.resetModules();
      const copy = await import('@/lib/server/db/database');
      expect(copy.databaseOf).not.toBe(databaseOf);
      expect(copy.databaseOf(db.prisma)).toBe(db);
    } finally {
      await db.close();
    }
  });
});

describe('sqlLimit', () => {
  it('writes only a positive integer into a statement', () => {
    expect(Prisma.sql`LIMIT ${sqlLimit(26)}`.text).toBe('LIMIT 26');
    for (const bad of [0, -1, 2.5, Number.NaN, 1e300]) expect(() => sqlLimit(bad)).toThrow(/not a page size/);
  });
});
