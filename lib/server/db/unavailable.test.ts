import net from 'node:net';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '@/lib/errors';
import { openDatabase, type Database } from '@/lib/server/db/database';
import { createTestDatabase, testDatabaseKinds } from '@/lib/server/db/test-databases';
import { isDatabaseUnavailable } from '@/lib/server/db/unavailable';
import { DATABASE_UNAVAILABLE, describeError, errorResponse } from '@/lib/server/http/errors';

// Real errors from the real client stack (Prisma -> adapter-pg -> node-postgres), against local
// sockets that behave like a stopped, crashing or silent database server.

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((d) => d.close()));
});

async function listen(onConnection: (socket: net.Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    onConnection(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const handle = {
    port: (server.address() as AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
  opened.push(handle);
  return handle;
}

function database(port: number): Database {
  const db = openDatabase({ url: `postgres://gatehouse:not-a-real-password@127.0.0.1:${port}/gatehouse` });
  opened.push(db);
  return db;
}

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (e) {
    return e;
  }
  throw new Error('expected the database call to fail');
}

/** Every way the app talks to the database: a model query, an interactive transaction, raw SQL. */
function calls(db: Database): [string, () => Promise<unknown>][] {
  return [
    ['model query', () => db.prisma.user.count()],
    ['transaction', () => db.prisma.$transaction((tx) => tx.user.count())],
    ['raw query', () => db.prisma.$queryRaw`SELECT 1`],
  ];
}

describe('isDatabaseUnavailable on real client errors', () => {
  it('recognises a server that refuses connections (stopped)', async () => {
    const gone = await listen(() => {});
    const port = gone.port;
    await gone.close();
    for (const [what, run] of calls(database(port))) expect(isDatabaseUnavailable(await failure(run)), what).toBe(true);
  });

  it('recognises a server that drops every connection (crashing)', async () => {
    const { port } = await listen((s) => s.destroy());
    for (const [what, run] of calls(database(port))) expect(isDatabaseUnavailable(await failure(run)), what).toBe(true);
  });

  it('recognises a server that accepts but never answers, after the 5 s connect timeout', async () => {
    const { port } = await listen(() => {});
    const t0 = Date.now();
    const e = await failure(() => database(port).prisma.user.count());
    expect(isDatabaseUnavailable(e)).toBe(true);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(4_500);
    expect(Date.now() - t0).toBeLessThan(15_000);
  }, 20_000);

  it('does not take query errors, constraint violations or app errors for an outage', async () => {
    const db = await createTestDatabase('embedded');
    try {
      const unique = await failure(() =>
        db.prisma.team.createMany({
          data: [
            { id: 't1', slug: 'same', name: 'A' },
            { id: 't2', slug: 'same', name: 'B' },
          ],
        }),
      );
      expect(isDatabaseUnavailable(unique)).toBe(false);
      const syntax = await failure(() => db.prisma.$queryRawUnsafe('SELEC 1'));
      expect(isDatabaseUnavailable(syntax)).toBe(false);
    } finally {
      await db.drop();
    }
    expect(isDatabaseUnavailable(new AppError('UNAVAILABLE', 'IAM AttachUserPolicy: socket hang up'))).toBe(false);
    expect(isDatabaseUnavailable(new Error('Cannot read properties of undefined'))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('P1001 from elsewhere'), { code: 'P1001' }))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable('Connection terminated unexpectedly')).toBe(false);
  });

  it.runIf(testDatabaseKinds().includes('postgres'))('recognises a session the server terminates mid-transaction (57P01)', async () => {
    const db = await createTestDatabase('postgres');
    try {
      const e = await failure(() =>
        db.prisma.$transaction(async (tx) => {
          const [row] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
          const admin = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL });
          await admin.connect();
          await admin.query('SELECT pg_terminate_backend($1)', [row!.pid]);
          await admin.end();
          await tx.user.count();
        }),
      );
      expect(isDatabaseUnavailable(e)).toBe(true);
      // The pool replaces the dead connection: the next call works.
      expect(await db.prisma.user.count()).toBe(0);
    } finally {
      await db.drop();
    }
  });
});

describe('the HTTP mapping of an outage', () => {
  it('answers 503 UNAVAILABLE with Retry-After, logs one warning line and no error', async () => {
    const gone = await listen(() => {});
    const port = gone.port;
    await gone.close();
    const e = await failure(() => database(port).prisma.user.count());
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(describeError(e)).toEqual({ status: 503, body: { error: { code: 'UNAVAILABLE', message: DATABASE_UNAVAILABLE } } });
      const res = errorResponse(e);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(warn).toHaveBeenCalledTimes(2);
      expect(String(warn.mock.calls[0]![0])).toMatch(/^\[http\] database unavailable: /);
      expect(String(warn.mock.calls[0]![0])).not.toContain('not-a-real-password');
    } finally {
      warn.mockRestore();
    }
  });
});
