import 'server-only';
import os from 'node:os';
import { SYSTEM_ACTOR } from '@/lib/audit/model';
import type { Database } from '@/lib/server/db/database';
import { getDb } from '@/lib/server/db/connection';
import { migrate, SEED_LOCK_KEY, withAdvisoryLock } from '@/lib/server/db/migrate';
import { createSandboxStore } from '@/lib/server/db/repositories/sandbox-objects';
import { routeFor } from '@/lib/cloud/accounts';
import { SANDBOX_ACCOUNT_ID } from '@/lib/cloud/sandbox-ids';
import { ENVIRONMENT_SLUGS, environmentSlugOf, type Environment } from '@/lib/environments';
import { cloudRoutes, sandboxAccounts } from '@/lib/server/cloud/adapters';
import { BUILD_DIR, recordBuiltRelease } from '@/lib/server/deployments/releases';
import { createFileTemplateSource } from '@/lib/server/deployments/template-source';
import { createReleaseStore } from '@/lib/server/db/repositories/releases';
import { createSandboxArtifactStore } from '@/lib/server/sandbox/artifacts';
import { env, type Env } from '@/lib/server/env';
import { seedSandboxAccount, type SandboxAccountSeed } from '@/lib/server/sandbox/seed-account';
import { seedSandboxStacks } from '@/lib/server/sandbox/seed-stacks';
import { seed, type SeedAccount } from '@/prisma/seed';
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
    await seedDatabase(db, seedOptionsFor(e));
  })();
  return holder.__gatehouseReady;
}

/** What to seed: the demo data (GATEHOUSE_SEED) and, in sandbox mode, the sandbox accounts. */
export interface SeedOptions {
  seed: boolean;
  sandbox: boolean;
  region: string;
  /** The account of each environment, for the demo catalog's ARNs; default the sandbox account in `region`. */
  accountOf?: (environment: Environment) => SeedAccount;
  /** The simulated accounts; default one account (111122223333) in `region` holding every environment. */
  sandboxAccounts?: readonly SandboxAccountSeed[];
  /** Sandbox only: record the build in this directory as a release, its zips in every simulated account (`npm start`). */
  releaseDir?: string;
}

/** What the configuration asks to seed: the demo catalog points into each environment's account, the sandbox simulates its accounts (docs/decisions/040). */
export function seedOptionsFor(e: Env): SeedOptions {
  const routes = cloudRoutes(e);
  return {
    seed: e.GATEHOUSE_SEED,
    sandbox: e.GATEHOUSE_CLOUD === 'sandbox',
    region: e.AWS_REGION,
    accountOf: (environment) => {
      const route = routeFor(routes, environment);
      return { accountId: route.accountId ?? SANDBOX_ACCOUNT_ID, region: route.primaryRegion };
    },
    sandboxAccounts: sandboxAccounts(e).map((a) => ({ accountId: a.accountId, region: a.region, environments: a.environments.map(environmentSlugOf) })),
    releaseDir: e.GATEHOUSE_SEED_RELEASE ? BUILD_DIR : undefined,
  };
}

/**
 * The demo seed (GATEHOUSE_SEED) and, in sandbox mode, the sandbox account, under an advisory lock:
 * both are idempotent upserts, but two replicas running them at the same moment on a fresh
 * PostgreSQL collide on the same keys (found by bench/scale-out.ts).
 */
export async function seedDatabase(db: Database, options: SeedOptions): Promise<void> {
  if (!options.seed && !options.sandbox) return;
  await withAdvisoryLock(db, SEED_LOCK_KEY, async () => {
    if (options.seed) await seed(db.prisma, { region: options.region, accountOf: options.accountOf });
    // The local sandbox accounts hold the users and secrets the portal's data points at.
    if (options.sandbox) {
      const accounts = options.sandboxAccounts ?? [{ accountId: SANDBOX_ACCOUNT_ID, region: options.region, environments: ENVIRONMENT_SLUGS }];
      await seedSandboxAccount(db.prisma, accounts);
      // The serverless stack's environments, each in its account (docs/decisions/020-deployment-adapters.md).
      for (const account of accounts) await seedSandboxStacksSafely(db, account);
      if (options.releaseDir) await seedBuiltReleaseSafely(db, options.releaseDir, accounts);
    }
  });
}

/** Seeds the stacks from infra/; a template that does not parse must not keep the portal from starting (deployments then say why). */
async function seedSandboxStacksSafely(db: Database, account: SandboxAccountSeed): Promise<void> {
  try {
    await seedSandboxStacks(createSandboxStore(db.prisma, account.accountId), createFileTemplateSource(), account.region, new Date(), account.environments);
  } catch (e) {
    console.warn(`[sandbox] the serverless stacks were not seeded: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Records the build `npm start` just made as a release (docs/decisions/042-releases.md), its zips in
 * every simulated account, so the demo deploys real bundles. Idempotent by content: an unchanged
 * build is the release already recorded. A missing or broken build must not keep the portal from starting.
 */
async function seedBuiltReleaseSafely(db: Database, dir: string, accounts: readonly SandboxAccountSeed[]): Promise<void> {
  try {
    const { release, created } = await recordBuiltRelease(
      { dir, builtBy: `${os.userInfo().username} (npm start)`, builtAt: new Date(), actor: SYSTEM_ACTOR },
      {
        releases: createReleaseStore(db.prisma),
        artifactStores: accounts.map((a) => createSandboxArtifactStore(createSandboxStore(db.prisma, a.accountId))),
      },
    );
    if (created) console.info(`[release] recorded ${release.id} from ${dir}`);
  } catch (e) {
    console.warn(`[release] the build in ${dir} was not recorded: ${e instanceof Error ? e.message : String(e)}`);
  }
}
