import 'server-only';
import path from 'node:path';
import { openDatabase, type Database } from '@/lib/server/db/database';
import { migrate, SEED_LOCK_KEY, withAdvisoryLock } from '@/lib/server/db/migrate';
import { registerDatabaseProbe } from '@/lib/server/db/outage';
import { env, type Env } from '@/lib/server/env';
import { seed } from '@/prisma/seed';
import { singleton } from '@/lib/server/singleton';

// One database per process, so that dev-mode module reloads reuse it (PGlite holds its directory
// for one owner at a time).
const holder = singleton('db', (): { __gatehouseDb?: Database; __gatehouseReady?: Promise<void> } => ({}));

/** The process's database, selected by DATABASE_URL (unset: the embedded one in GATEHOUSE_DATA_DIR). */
export function getDb(): Database {
  if (!holder.__gatehouseDb) {
    const e = env();
    const db = openDatabase(e.DATABASE_URL ? { url: e.DATABASE_URL } : { dataDir: path.join(e.GATEHOUSE_DATA_DIR, 'pglite') });
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

/** Migrates (and in local mode seeds) once per process, before the first request is served. */
export function prepareDatabase(): Promise<void> {
  holder.__gatehouseReady ??= (async () => {
    const e = env();
    const db = getDb();
    if (e.GATEHOUSE_AUTO_MIGRATE) {
      const applied = await migrate(db);
      if (applied.length) console.info(`[db] applied ${applied.length} migration(s) to ${db.location}: ${applied.join(', ')}`);
    }
    await seedDatabase(db, e);
  })();
  return holder.__gatehouseReady;
}

/**
 * The demo seed (GATEHOUSE_SEED) and, in sandbox mode, the sandbox account, under an advisory lock:
 * both are idempotent upserts, but two replicas running them at the same moment on a fresh
 * PostgreSQL collide on the same keys (found by bench/scale-out.ts).
 */
export async function seedDatabase(db: Database, e: Pick<Env, 'GATEHOUSE_SEED' | 'GATEHOUSE_CLOUD' | 'AWS_REGION'>): Promise<void> {
  if (!e.GATEHOUSE_SEED && e.GATEHOUSE_CLOUD !== 'sandbox') return;
  await withAdvisoryLock(db, SEED_LOCK_KEY, async () => {
    if (e.GATEHOUSE_SEED) await seed(db.prisma, { region: e.AWS_REGION });
    // The local sandbox account holds the users and secrets the portal's data points at.
    if (e.GATEHOUSE_CLOUD === 'sandbox') {
      await (await import('@/lib/server/sandbox/seed-account')).seedSandboxAccount(db.prisma);
      // The serverless stack's environments (docs/decisions/020-deployment-adapters.md).
      await (await import('@/lib/server/sandbox/seed-stacks')).seedSandboxStacksSafely(db.prisma, e.AWS_REGION);
    }
  });
}

/** Closes the database (on shutdown); PGlite and the pg pool keep the process alive otherwise. */
export async function closeDb(): Promise<void> {
  const db = holder.__gatehouseDb;
  holder.__gatehouseDb = undefined;
  registerDatabaseProbe(null);
  holder.__gatehouseReady = undefined;
  await db?.close();
}

/** A round trip to the database (health check). */
export async function pingDatabase(): Promise<void> {
  await getDb().prisma.$queryRaw`SELECT 1`;
}
