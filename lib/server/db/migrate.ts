import 'server-only';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '@/lib/server/db/database';

/** The committed migrations: prisma/migrations/<timestamp>_<name>/migration.sql. */
export const MIGRATIONS_DIR = path.join(/*turbopackIgnore: true*/ process.cwd(), 'prisma', 'migrations');

// The same lock key and bookkeeping table as `prisma migrate deploy`, so either tool can take over
// from the other (docs/decisions/002-database.md).
const LOCK_KEY = 72707369;
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

/** Reads the committed migrations in the order they apply. */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  // Migrations are read at run time from the checkout, not bundled (hence the tracing opt-out).
  const entries = await fs.readdir(/*turbopackIgnore: true*/ dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await fs.readFile(/*turbopackIgnore: true*/ path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/**
 * Applies every pending migration, each in its own transaction, under the migrate advisory lock so
 * that several replicas starting at once apply each migration exactly once. Returns what it applied.
 */
export async function migrate(db: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = await readMigrations(dir);
  const session = await db.session();
  const applied: string[] = [];
  try {
    await session.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    try {
      await session.exec(CREATE_TABLE);
      const rows = await session.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
      );
      const done = new Map(rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => [r.migration_name, r]));
      const failed = rows.find((r) => !r.finished_at && !r.rolled_back_at);
      if (failed) {
        throw new MigrationError(
          `migration ${failed.migration_name} failed earlier and was not resolved; fix the database, then mark it rolled back (prisma migrate resolve --rolled-back ${failed.migration_name})`,
        );
      }
      for (const m of migrations) {
        const previous = done.get(m.name);
        if (previous) {
          if (previous.checksum !== m.checksum) {
            throw new MigrationError(`migration ${m.name} was changed after it was applied; add a new migration instead`);
          }
          continue;
        }
        const id = randomUUID();
        await session.exec('BEGIN');
        try {
          await session.exec(m.sql);
          await session.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ($1, $2, now(), $3, 1)`,
            [id, m.checksum, m.name],
          );
          await session.exec('COMMIT');
        } catch (e) {
          await session.exec('ROLLBACK');
          throw new MigrationError(`migration ${m.name} failed: ${(e as Error).message}`);
        }
        applied.push(m.name);
      }
    } finally {
      await session.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
    }
  } finally {
    await session.release();
  }
  return applied;
}

/** The lock replicas take turns under while seeding at startup (not migrate deploy's key: that one is Prisma's). */
export const SEED_LOCK_KEY = 72707370;

/**
 * Runs `work` while this process holds a PostgreSQL advisory lock (on a session of its own), so that
 * replicas starting at once take turns instead of racing on the same rows. On the embedded database
 * (one connection, one process) the lock is trivially ours.
 */
export async function withAdvisoryLock<T>(db: Database, key: number, work: () => Promise<T>): Promise<T> {
  const session = await db.session();
  try {
    await session.query('SELECT pg_advisory_lock($1)', [key]);
    try {
      return await work();
    } finally {
      await session.query('SELECT pg_advisory_unlock($1)', [key]);
    }
  } finally {
    await session.release();
  }
}
