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
