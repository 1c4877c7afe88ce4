import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '@/lib/server/db/database';
import { migrate } from '@/lib/server/db/migrate';
import { testDatabaseKinds } from '@/lib/server/db/test-databases';
import { seedDatabase } from '@/lib/server/prepare-database';

// Several replicas starting at once on a fresh PostgreSQL: each process has its own pool and seeds.
describe.runIf(testDatabaseKinds().includes('postgres'))('seedDatabase on PostgreSQL', () => {
  it('lets replicas that start together seed the same fresh database without colliding', async () => {
    const adminUrl = process.env.TEST_POSTGRES_URL!;
    const name = `gatehouse_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const replicas = [1, 2, 3].map(() => openDatabase({ url: url.toString() }));
    try {
      await Promise.all(replicas.map((db) => migrate(db)));
      const options = { seed: true, sandbox: true, region: 'us-east-1' };
      const results = await Promise.allSettled(replicas.map((db) => seedDatabase(db, options)));
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      const db = replicas[0]!;
      expect(await db.prisma.user.count()).toBe(9);
      expect(await db.prisma.catalogSecret.count()).toBe(7);
      expect(await db.prisma.sandboxObject.count({ where: { service: 'iam', kind: 'user' } })).toBeGreaterThanOrEqual(7);
    } finally {
      await Promise.all(replicas.map((db) => db.close()));
      // Without FORCE: a connection still ending is waited for instead of killed under its client.
      for (let attempt = 0; ; attempt++) {
        try {
          await admin.query(`DROP DATABASE IF EXISTS ${name}`);
          break;
        } catch (e) {
          if (attempt >= 20) throw e;
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      await admin.end();
    }
  }, 120_000);
});
