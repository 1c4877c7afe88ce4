import 'server-only';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '@/lib/server/db/database';
import { migrate } from '@/lib/server/db/migrate';
import { SANDBOX_ACCOUNT_ID } from '@/lib/cloud/sandbox-ids';
import { auditEntry, SYSTEM_ACTOR } from '@/lib/audit/model';
import { artifactKey, RELEASE_FUNCTIONS, releaseContentSha256, releaseIdOf, type ReleaseRecord } from '@/lib/deployments/releases';
import { createReleaseStore } from '@/lib/server/db/repositories/releases';

/**
 * The databases integration tests run against: always the embedded one (PGlite, in memory unless
 * `onDisk`), and a PostgreSQL server when TEST_POSTGRES_URL is set (scripts/test.mjs starts one).
 * Each call makes a new, empty, migrated database, so tests are isolated and may run in parallel.
 */
export function testDatabaseKinds(): ('embedded' | 'postgres')[] {
  // eslint-disable-next-line no-restricted-properties -- test-only switch, set by the test runner
  return process.env.TEST_POSTGRES_URL ? ['embedded', 'postgres'] : ['embedded'];
}

export async function createTestDatabase(
  kind: 'embedded' | 'postgres',
  { onDisk = false, migrated = true }: { onDisk?: boolean; /** false: an empty database, for migration tests. */ migrated?: boolean } = {},
): Promise<Database & { drop(): Promise<void> }> {
  if (kind === 'embedded') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-test-'));
    // TEST_PGLITE_WORKER=1: the same tests through the server's worker-thread path (lib/server/db/pglite-worker.ts).
    // eslint-disable-next-line no-restricted-properties -- test-only switch
    const worker = process.env.TEST_PGLITE_WORKER === '1';
    const db = openDatabase(onDisk ? { dataDir: path.join(dir, 'pglite'), worker } : { memory: true, worker });
    if (migrated) await migrate(db);
    return Object.assign(db, {
      async drop() {
        await db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    });
  }
  // eslint-disable-next-line no-restricted-properties -- test-only switch, set by the test runner
  const adminUrl = process.env.TEST_POSTGRES_URL!;
  const name = `gatehouse_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = openDatabase({ url: url.toString() });
  if (migrated) await migrate(db);
  return Object.assign(db, {
    async drop() {
      await db.close();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        // Retried: a session that is just starting (autovacuum) can make one attempt fail.
        for (let attempt = 1; ; attempt++) {
          try {
            await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
            break;
          } catch (e) {
            if (attempt >= 5) throw e;
            await new Promise((r) => setTimeout(r, 200 * attempt));
          }
        }
      } finally {
        await c.end();
      }
    },
  });
}

/**
 * Runs `work` with the audit history's append-only triggers switched off, as only the tables' owner
 * can (ALTER TABLE … DISABLE TRIGGER): how tests play someone with the database owner's rights. The
 * triggers are on again afterwards, whatever `work` did.
 */
export async function asAuditTableOwner<T>(db: Pick<Database, 'prisma'>, work: () => Promise<T>): Promise<T> {
  await db.prisma.$executeRawUnsafe('ALTER TABLE audit_events DISABLE TRIGGER USER');
  await db.prisma.$executeRawUnsafe('ALTER TABLE audit_head DISABLE TRIGGER USER');
  try {
    return await work();
  } finally {
    await db.prisma.$executeRawUnsafe('ALTER TABLE audit_events ENABLE TRIGGER USER');
    await db.prisma.$executeRawUnsafe('ALTER TABLE audit_head ENABLE TRIGGER USER');
  }
}

/** The account the seeded users' principals are in (the sandbox's), for access use cases in tests. */
export async function seededAccountFor(): Promise<{ accountId: string; region: string }> {
  return { accountId: SANDBOX_ACCOUNT_ID, region: 'us-east-1' };
}

/**
 * Records a release with made-up hashes (derived from `label`) in a test database, so that plans
 * have code to deploy; the sandbox CloudFormation does not open the zips. Returns it.
 */
export async function recordTestRelease(prisma: Database['prisma'], label: string, builtAt = new Date('2026-11-01T00:00:00Z')): Promise<ReleaseRecord> {
  const functions = RELEASE_FUNCTIONS.map(({ name }) => {
    const sha256 = createHash('sha256').update(`${label}/${name}`).digest('hex');
    return { name, sha256, bytes: 1000, key: artifactKey(name, sha256) };
  });
  const contentSha256 = releaseContentSha256(functions);
  const release: ReleaseRecord = {
    id: releaseIdOf(contentSha256),
    contentSha256,
    gitCommit: 'f'.repeat(40),
    gitDirty: false,
    functions,
    builtAt,
    builtBy: 'test',
  };
  const entry = auditEntry(SYSTEM_ACTOR, 'release.recorded', { type: 'release', id: release.id }, {}, builtAt);
  return (await createReleaseStore(prisma).insertIfAbsent(release, entry)).release;
}

/** The actor as a portal session that signed in at `at`: prod decisions need a recent sign-in (docs/decisions/046-step-up.md). */
export function signedIn<T extends { signedInAt?: Date | null }>(actor: T, at: Date): T {
  return { ...actor, signedInAt: at };
}
