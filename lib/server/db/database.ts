import 'server-only';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import pg from 'pg';
import { PrismaClient, type Prisma } from '@/lib/server/db/generated/client';
import { WorkerPGlite } from '@/lib/server/db/pglite-worker';
import { suspectDatabaseOutage } from '@/lib/server/db/outage';
import { singleton } from '@/lib/server/singleton';

/** Raw SQL on one session: what the migration runner needs beyond Prisma (multi-statement scripts, locks). */
export interface SqlSession {
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of several statements (no parameters). */
  exec(script: string): Promise<void>;
  release(): Promise<void>;
}

/** One database: the Prisma client for the app, a raw session for migrations, and a way to close it. */
export interface Database {
  readonly kind: 'embedded' | 'postgres';
  /** Where it is, without credentials: for logs and the health page. */
  readonly location: string;
  readonly prisma: PrismaClient;
  session(): Promise<SqlSession>;
  /**
   * Runs one hot read-only statement (a list page) outside any transaction: on PostgreSQL as a named
   * prepared statement on the pool, so each connection parses and plans a statement shape once
   * (docs/decisions/055-list-statements-prepared.md); on the embedded database through Prisma. Its
   * columns must be text, boolean or int2/int4, which both paths return alike.
   */
  queryReadOnly<T>(statement: Prisma.Sql): Promise<T[]>;
  /** One round trip on a fresh or pooled connection; rejects when the server does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `worker`: PGlite runs on a worker thread (the server's default: its queries then never hold the
 * event loop, docs/decisions/054-embedded-database.md); without it, on the calling thread (tests, scripts).
 */
export type DatabaseTarget =
  | { url: string; /** Pool size (default 10). */ poolMax?: number; /** false: list statements go unnamed (default true). */ prepared?: boolean }
  | { dataDir: string; worker?: boolean }
  | { memory: true; worker?: boolean };

/** Opens the embedded database (PGlite, in a directory or in memory) or a PostgreSQL server. */
export function openDatabase(target: DatabaseTarget): Database {
  const db =
    'url' in target
      ? openPostgres(target.url, target.poolMax ?? 10, target.prepared ?? true)
      : openEmbedded('dataDir' in target ? target.dataDir : undefined, target.worker ?? false);
  owners.set(db.prisma, db);
  return db;
}

// Repositories take a PrismaClient (tests pass one database's); this finds the Database it belongs
// to. A transaction client is not in it, so statements in a transaction stay in the transaction.
// One map per process: Next.js bundles this module into instrumentation and every route separately,
// and the process's database is opened by whichever copy runs first (lib/server/singleton.ts).
const owners = singleton('db.owners', () => new WeakMap<PrismaClient, Database>());

/** The database `client` is the top-level Prisma client of, if any (not a transaction's). */
export function databaseOf(client: PrismaClient): Database | undefined {
  return owners.get(client);
}

// Column types the prepared path returns as Prisma's $queryRaw does: bool, int2, int4, text, varchar.
// Others differ (int8: string against bigint; timestamps: local Date; json: parsed), so they are refused.
const SAME_AS_PRISMA = new Set([16, 21, 23, 25, 1043]);

// Statement names by text: a hash, so each shape has one name on every connection. Shapes (a set
// of filters given, a page size) past the first MAX_PREPARED go unnamed, as before: a connection then
// holds at most MAX_PREPARED statements whatever clients ask for.
const statementNames = singleton('db.statementNames', () => new Map<string, string>());
const MAX_PREPARED = 256;

function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (!name && statementNames.size < MAX_PREPARED) {
    name = `gh_${createHash('sha256').update(text).digest('base64url').slice(0, 32)}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * A value as node-postgres should send it. Dates become UTC ISO text: the columns are
 * TIMESTAMP(3) without time zone holding UTC (as Prisma writes them), and node-postgres would send
 * the local time with an offset, which PostgreSQL drops for that type.
 */
const toParameter = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

function openEmbedded(dataDir: string | undefined, worker: boolean): Database {
  if (dataDir) fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const lite = worker ? new WorkerPGlite(dataDir).asPGlite() : new PGlite(dataDir);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(lite) });
  return {
    kind: 'embedded',
    location: `embedded:${dataDir ?? 'memory'}${worker ? ' (worker thread)' : ''}`,
    prisma,
    // PGlite plans in the same process and has no pool: Prisma's path is the one to keep.
    queryReadOnly: <T>(statement: Prisma.Sql) => prisma.$queryRaw<T[]>(statement),
    async session() {
      // PGlite is one connection: the session is the database itself.
      return {
        query: async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) => (await lite.query<T>(sql, params)).rows,
        exec: async (script) => {
          await lite.exec(script);
        },
        release: async () => {},
      };
    },
    async ping() {
      await lite.query('SELECT 1');
    },
    async close() {
      await prisma.$disconnect();
      if (!lite.closed) await lite.close();
    },
  };
}

function openPostgres(url: string, poolMax: number, prepared: boolean): Database {
  // A connect that gets no answer fails after 5 s (default: never), so an unreachable server turns
  // into 503s instead of requests that hang (docs/decisions/022-scale-out-and-faults.md).
  const pool = new pg.Pool({ connectionString: url, max: poolMax, connectionTimeoutMillis: 5_000 });
  // A server restart or failover ends every connection with an 'error' event; without a listener
  // Node treats it as uncaught and the process dies. The pool drops the client and the next query
  // opens a new one; a query in flight still fails on its own (503).
  // A closed connection is often the first sign of a server going down: probe it (lib/server/db/outage.ts).
  const onLostConnection = (e: Error) => {
    console.warn(`[db] a PostgreSQL connection was closed: ${e.message}`);
    void suspectDatabaseOutage();
  };

  pool.on('error', onLostConnection);
  pool.on('connect', (client) => client.on('error', onLostConnection));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  // `host` already carries the port; username and password are left out.
  const { host, pathname } = new URL(url);
  return {
    kind: 'postgres',
    location: `postgres://${host}${pathname}`,
    prisma,
    async queryReadOnly<T>(statement: Prisma.Sql) {
      const text = statement.text;
      // pool.query releases the connection when the statement ends, and drops it from the pool when
      // the statement failed; errors are node-postgres's own, which lib/server/db/unavailable.ts reads.
      const result = await pool.query({ name: prepared ? statementName(text) : undefined, text, values: statement.values.map(toParameter) });
      const other = result.fields.find((f) => !SAME_AS_PRISMA.has(f.dataTypeID));
      if (other) throw new Error(`queryReadOnly: column "${other.name}" has type oid ${other.dataTypeID}, which it does not return as Prisma would`);
      return result.rows as T[];
    },
    async session() {
      const client = await pool.connect();
      return {
        query: async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) => (await client.query<T>(sql, params)).rows,
        // Without parameters node-postgres uses the simple protocol, which accepts several statements.
        exec: async (script) => {
          await client.query(script);
        },
        release: async () => client.release(),
      };
    },
    // On a connection of its own, not the pool's: an exhausted pool (a burst, slow queries) is not
    // an outage, and a probe queued behind that work would say it was.
    async ping() {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000, query_timeout: 2_000 });
      client.on('error', () => {});
      try {
        await client.connect();
        await client.query('SELECT 1');
      } finally {
        await client.end().catch(() => {});
      }
    },
    async close() {
      await prisma.$disconnect();
      await pool.end().catch(() => {});
    },
  };
}
