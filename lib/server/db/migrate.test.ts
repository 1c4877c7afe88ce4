import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, MigrationError, readMigrations } from '@/lib/server/db/migrate';
import { createTestDatabase, testDatabaseKinds } from '@/lib/server/db/test-databases';

describe.each(testDatabaseKinds())('migrate on %s', (kind) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('applies every committed migration once and records it like prisma migrate deploy', async () => {
    const db = await createTestDatabase(kind, { onDisk: true });
    cleanups.push(db.drop);
    const committed = await readMigrations();
    expect(committed.length).toBeGreaterThan(0);
    const session = await db.session();
    const rows = await session.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
    );
    await session.release();
    expect(rows.map((r) => r.migration_name)).toEqual(committed.map((m) => m.name));
    expect(rows.map((r) => r.checksum)).toEqual(committed.map((m) => m.checksum));
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
    // A second run (another replica starting) applies nothing.
    expect(await migrate(db)).toEqual([]);
  });

  it('rolls back a failing migration, records nothing, and applies it once fixed', async () => {
    const db = await createTestDatabase(kind);
    cleanups.push(db.drop);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-migrations-'));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    for (const m of await readMigrations()) {
      fs.mkdirSync(path.join(dir, m.name));
      fs.writeFileSync(path.join(dir, m.name, 'migration.sql'), m.sql);
    }
    const broken = path.join(dir, '29991231000000_broken');
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, 'migration.sql'), 'CREATE TABLE "half_done" (id int);\nSELECT * FROM "no_such_table";\n');
    await expect(migrate(db, dir)).rejects.toThrow(MigrationError);
    const session = await db.session();
    const tables = await session.query<{ n: number }>(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'half_done'`);
    expect(tables[0]?.n).toBe(0);
    fs.writeFileSync(path.join(broken, 'migration.sql'), 'CREATE TABLE "half_done" (id int);\n');
    expect(await migrate(db, dir)).toEqual(['29991231000000_broken']);
    await session.release();
  });

  it("keeps the principals of a database made before one account per environment, each in its ARN's account", async () => {
    const db = await createTestDatabase(kind, { migrated: false });
    cleanups.push(db.drop);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-migrations-'));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const all = await readMigrations();
    const cut = all.findIndex((m) => m.name.endsWith('_principal_account'));
    expect(cut).toBeGreaterThan(0);
    for (const m of all.slice(0, cut)) {
      fs.mkdirSync(path.join(dir, m.name));
      fs.writeFileSync(path.join(dir, m.name, 'migration.sql'), m.sql);
    }
    await migrate(db, dir);
    const session = await db.session();
    await session.query(
      `INSERT INTO "users" ("id", "email", "name", "updated_at") VALUES ('u1', 'u1@example.com', 'U1', now()), ('u2', 'u2@example.com', 'U2', now())`,
    );
    await session.query(
      `INSERT INTO "aws_principals" ("user_id", "kind", "name", "arn", "updated_at") VALUES ('u1', 'IAM_USER', 'u1', 'arn:aws:iam::111122223333:user/u1', now()), ('u2', 'IAM_ROLE', 'r', 'arn:aws-us-gov:iam::444455556666:role/p/r', now())`,
    );
    await session.release();
    for (const m of all.slice(cut)) {
      fs.mkdirSync(path.join(dir, m.name));
      fs.writeFileSync(path.join(dir, m.name, 'migration.sql'), m.sql);
    }
    await migrate(db, dir);
    expect(await db.prisma.awsPrincipal.findMany({ select: { userId: true, accountId: true }, orderBy: { userId: 'asc' } })).toEqual([
      { userId: 'u1', accountId: '111122223333' },
      { userId: 'u2', accountId: '444455556666' },
    ]);
  });

  it('refuses a migration edited after it was applied', async () => {
    const db = await createTestDatabase(kind);
    cleanups.push(db.drop);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-migrations-'));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    for (const m of await readMigrations()) {
      fs.mkdirSync(path.join(dir, m.name));
      fs.writeFileSync(path.join(dir, m.name, 'migration.sql'), `${m.sql}\n-- edited\n`);
    }
    await expect(migrate(db, dir)).rejects.toThrow(/was changed after it was applied/);
  });
});
