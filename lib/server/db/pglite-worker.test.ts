import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '@/lib/server/db/database';
import { Prisma } from '@/lib/server/db/generated/client';
import { migrate } from '@/lib/server/db/migrate';

// The server's embedded database: PGlite on a worker thread behind Prisma's adapter
// (docs/decisions/054-embedded-database.md). The repository tests can run through the same path
// with TEST_PGLITE_WORKER=1; these check what the thread boundary itself could break.
describe('PGlite on a worker thread', () => {
  let db: Database;
  beforeAll(async () => {
    db = openDatabase({ memory: true, worker: true });
    await migrate(db);
  }, 60_000);
  afterAll(async () => {
    await db.close();
  });

  it('says where it runs', () => {
    expect(db.location).toBe('embedded:memory (worker thread)');
  });

  it('returns values typed as Prisma expects: dates, arrays, JSON, big integers, nulls', async () => {
    const [row] = await db.prisma.$queryRaw<{ d: Date; a: string[]; j: { x: number[] }; b: bigint; n: null; i: number; t: boolean }[]>`
      SELECT timestamptz '2026-01-02T03:04:05.678Z' AS d, ARRAY['x', 'y,z'] AS a, '{"x":[1,2]}'::jsonb AS j, 9007199254740993::int8 AS b, NULL AS n, 42 AS i, true AS t`;
    expect(row).toEqual({ d: new Date('2026-01-02T03:04:05.678Z'), a: ['x', 'y,z'], j: { x: [1, 2] }, b: 9007199254740993n, n: null, i: 42, t: true });
  });

  it('maps a unique violation to Prisma\u2019s P2002, as on the main thread', async () => {
    await db.prisma.team.create({ data: { slug: 'worker-unique', name: 'One' } });
    const error = await db.prisma.team.create({ data: { slug: 'worker-unique', name: 'Two' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    expect((error as Prisma.PrismaClientKnownRequestError).code).toBe('P2002');
  });

  it('commits an interactive transaction, and rolls one back when its callback throws', async () => {
    await db.prisma.$transaction(async (tx) => {
      await tx.team.create({ data: { slug: 'worker-tx-ok', name: 'Kept' } });
    });
    await expect(
      db.prisma.$transaction(async (tx) => {
        await tx.team.create({ data: { slug: 'worker-tx-undone', name: 'Undone' } });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const slugs = (await db.prisma.team.findMany({ where: { slug: { startsWith: 'worker-tx' } } })).map((t) => t.slug);
    expect(slugs).toEqual(['worker-tx-ok']);
  });

  it('keeps a transaction to itself: a query sent meanwhile waits for it and sees only what it committed', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const tx = db.prisma.$transaction(async (t) => {
      await t.team.create({ data: { slug: 'worker-isolated', name: 'Inside' } });
      await held;
    });
    // Sent while the transaction is open: it runs after it (one connection, in order).
    await new Promise((r) => setTimeout(r, 50));
    const outside = db.prisma.team.count({ where: { slug: 'worker-isolated' } });
    release();
    await tx;
    expect(await outside).toBe(1);
  });

  it('leaves the event loop free while a long query runs', async () => {
    const gapWhile = async (database: Database) => {
      await database.ping(); // started: the measure is the query alone
      let last = performance.now();
      let gap = 0;
      const timer = setInterval(() => {
        const now = performance.now();
        gap = Math.max(gap, now - last);
        last = now;
      }, 5);
      const t0 = performance.now();
      await database.prisma.$queryRaw`SELECT count(*) FROM generate_series(1, 1000000)`;
      const took = performance.now() - t0;
      clearInterval(timer);
      // A query that held the thread to the end never let the timer run at all.
      gap = Math.max(gap, performance.now() - last);
      return { gap, took };
    };
    const onThread = openDatabase({ memory: true });
    try {
      const main = await gapWhile(onThread);
      const worker = await gapWhile(db);
      // On the calling thread the timer waits for the whole query; on the worker it keeps ticking.
      expect(main.gap).toBeGreaterThan(main.took * 0.8);
      expect(worker.gap).toBeLessThan(worker.took / 3);
    } finally {
      await onThread.close();
    }
  }, 60_000);
});
