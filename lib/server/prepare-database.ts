import 'server-only';
import type { Database } from '@/lib/server/db/database';
import { getDb } from '@/lib/server/db/connection';
import { migrate, SEED_LOCK_KEY, withAdvisoryLock } from '@/lib/server/db/migrate';
import { createSandboxStore } from '@/lib/server/db/repositories/sandbox-objects';
import { cloudMode } from '@/lib/server/cloud/adapters';
import { createFileTemplateSource } from '@/lib/server/deployments/template-source';
import { env } from '@/lib/server/env';
import { seedSandboxAccount } from '@/lib/server/sandbox/seed-account';
import { seedSandboxStacks } from '@/lib/server/sandbox/seed-stacks';
import { seed } from '@/prisma/seed';
import { singleton } from '@/lib/server/singleton';

// Startup work on the database, kept out of lib/server/db/connection.ts: seeding reaches the sandbox
// adapters, which reach the database, so the database module must not reach back.

const holder = singleton('db.ready', (): { __gatehouseReady?: Promise<void> } => ({}));

/** Migrates (and in local mode seeds) once per process, before the first request is served. */
export function prepareDatabase(): Promise<void> {
  holder.__gatehouseReady ??= (async () => {
    const e = env();
    const db = getDb();
    if (e.GATEHOUSE_AUTO_MIGRATE) {
      const applied = await migrate(db);
      if (applied.length) console.info(`[db] applied ${applied.length} migration(s) to ${db.location}: ${applied.join(', ')}`);
    }
    await seedDatabase(db, { seed: e.GATEHOUSE_SEED, sandbox: cloudMode() === 'sandbox', region: e.AWS_REGION });
  })();
  return holder.__gatehouseReady;
}

/** What to seed: the demo data (GATEHOUSE_SEED) and, in sandbox mode, the sandbox account in its region. */
export interface SeedOptions {
  seed: boolean;
  sandbox: boolean;
  region: string;
}

/**
 * The demo seed (GATEHOUSE_SEED) and, in sandbox mode, the sandbox account, under an advisory lock:
 * both are idempotent upserts, but two replicas running them at the same moment on a fresh
 * PostgreSQL collide on the same keys (found by bench/scale-out.ts).
 */
export async function seedDatabase(db: Database, options: SeedOptions): Promise<void> {
  if (!options.seed && !options.sandbox) return;
  await withAdvisoryLock(db, SEED_LOCK_KEY, async () => {
    if (options.seed) await seed(db.prisma, { region: options.region });
    // The local sandbox account holds the users and secrets the portal's data points at.
    if (options.sandbox) {
      await seedSandboxAccount(db.prisma);
      // The serverless stack's environments (docs/decisions/020-deployment-adapters.md).
      await seedSandboxStacksSafely(db, options.region);
    }
  });
}

/** Seeds the stacks from infra/; a template that does not parse must not keep the portal from starting (deployments then say why). */
async function seedSandboxStacksSafely(db: Database, region: string): Promise<void> {
  try {
    await seedSandboxStacks(createSandboxStore(db.prisma), createFileTemplateSource(), region);
  } catch (e) {
    console.warn(`[sandbox] the serverless stacks were not seeded: ${e instanceof Error ? e.message : String(e)}`);
  }
}
