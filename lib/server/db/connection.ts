import 'server-only';
import path from 'node:path';
import { openDatabase, type Database } from '@/lib/server/db/database';
import { registerDatabaseProbe } from '@/lib/server/db/outage';
import { env } from '@/lib/server/env';
import { singleton } from '@/lib/server/singleton';

// One database per process, kept on globalThis so that dev-mode module reloads reuse it (PGlite
// holds its directory for one owner at a time).
const holder = singleton('db', (): { __gatehouseDb?: Database } => ({}));

/** The process's database, selected by DATABASE_URL (unset: the embedded one in GATEHOUSE_DATA_DIR). */
export function getDb(): Database {
  if (!holder.__gatehouseDb) {
    const e = env();
    const db = openDatabase(
      e.DATABASE_URL
        ? { url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX, prepared: e.DATABASE_PREPARED_STATEMENTS }
        : { dataDir: path.join(e.GATEHOUSE_DATA_DIR, 'pglite'), worker: e.GATEHOUSE_EMBEDDED_THREAD === 'worker' },
    );
    holder.__gatehouseDb = db;
    // PostgreSQL can go away under the process; the embedded database cannot (lib/server/db/outage.ts).
    if (db.kind === 'postgres') {
      registerDatabaseProbe(() => db.ping());
    }
  }
  return holder.__gatehouseDb;
}

/** The Prisma client of the process's database; only repositories call this. */
export function prisma() {
  return getDb().prisma;
}

/** Closes the database (on shutdown); PGlite and the pg pool keep the process alive otherwise. */
export async function closeDb(): Promise<void> {
  const db = holder.__gatehouseDb;
  holder.__gatehouseDb = undefined;
  registerDatabaseProbe(null);
  await db?.close();
}

/** A round trip to the database (health check). */
export async function pingDatabase(): Promise<void> {
  await getDb().prisma.$queryRaw`SELECT 1`;
}

/**
 * Writes a checkpoint of the embedded database (nothing on PostgreSQL, whose checkpointer does it).
 * PGlite runs PostgreSQL as a single backend without a checkpointer process: under steady writes its
 * WAL grew past a gigabyte between opens, and everything since the last checkpoint is what a crash
 * must replay. A checkpoint every few minutes keeps that short (it took ~70 ms after a million rows).
 */
export async function checkpointEmbeddedDb(): Promise<boolean> {
  const db = getDb();
  if (db.kind !== 'embedded') return false;
  const session = await db.session();
  try {
    await session.exec('CHECKPOINT');
  } finally {
    await session.release();
  }
  return true;
}
