import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '@/lib/server/db/database';
import { readAuditHead, verifyAuditChain } from '@/lib/server/db/repositories/audit';
import { appendAuditEvent } from '@/lib/server/db/repositories/audit-append';
import { createTestDatabase, testDatabaseKinds } from '@/lib/server/db/test-databases';

const entry = (i: number) => ({
  occurredAt: new Date(Date.UTC(2026, 11, 1, 9, 0, i)),
  actorId: 'usr_minji',
  actorName: 'Minji Kim',
  action: 'request.created' as const,
  targetType: 'request',
  targetId: `req_${i}`,
});

// The production grant layout of prisma/app-role.sql, on PostgreSQL (PGlite has one superuser, no roles).
describe.skipIf(!testDatabaseKinds().includes('postgres'))('the application role of prisma/app-role.sql on PostgreSQL', () => {
  const role = `gatehouse_app_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  let owner: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: Database;
  let admin: pg.Client;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL });
    await admin.connect();
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    owner = await createTestDatabase('postgres');
    await owner.prisma.$transaction((tx) => appendAuditEvent(tx, entry(1), null));
    const script = fs.readFileSync(path.join(process.cwd(), 'prisma', 'app-role.sql'), 'utf8').replaceAll('gatehouse_app', role);
    const session = await owner.session();
    try {
      await session.exec(script);
    } finally {
      await session.release();
    }
    const url = new URL(await ownerUrl());
    url.username = role;
    url.password = password;
    app = openDatabase({ url: url.toString() });
  });
  afterAll(async () => {
    await app?.close();
    await owner?.drop();
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  });

  /** The test database's URL as the test runner's role (the owner). */
  async function ownerUrl(): Promise<string> {
    const [row] = await owner.prisma.$queryRaw<{ db: string }[]>`SELECT current_database() AS db`;
    const u = new URL(process.env.TEST_POSTGRES_URL!);
    u.pathname = `/${row!.db}`;
    return u.toString();
  }

  it('appends and verifies as the application role', async () => {
    const added = await app.prisma.$transaction((tx) => appendAuditEvent(tx, entry(2), { ip: '10.0.0.2', userAgent: 'vitest' }));
    expect(added.seq).toBe(2);
    expect(await readAuditHead(app.prisma)).toEqual(added);
    expect(await verifyAuditChain(app.prisma)).toMatchObject({ ok: true, checked: 2 });
  });

  it('may not UPDATE, DELETE or TRUNCATE audit events, nor remove the head', async () => {
    await expect(app.prisma.$executeRawUnsafe(`UPDATE audit_events SET actor_name = 'x'`)).rejects.toThrow(/permission denied for table audit_events/);
    await expect(app.prisma.$executeRawUnsafe('DELETE FROM audit_events')).rejects.toThrow(/permission denied for table audit_events/);
    await expect(app.prisma.$executeRawUnsafe('TRUNCATE audit_events')).rejects.toThrow(/permission denied for table audit_events/);
    await expect(app.prisma.$executeRawUnsafe('DELETE FROM audit_head')).rejects.toThrow(/permission denied for table audit_head/);
  });

  it('may not switch the append-only triggers off (only the owner can), nor touch the migrations table', async () => {
    await expect(app.prisma.$executeRawUnsafe('ALTER TABLE audit_events DISABLE TRIGGER USER')).rejects.toThrow(/must be owner of table audit_events/);
    await expect(app.prisma.$executeRawUnsafe('ALTER TABLE audit_head DISABLE TRIGGER USER')).rejects.toThrow(/must be owner of table audit_head/);
    await expect(app.prisma.$executeRawUnsafe(`DELETE FROM "_prisma_migrations"`)).rejects.toThrow(/permission denied/);
  });

  it('keeps every other table writable for the application', async () => {
    const tables = await app.prisma.$queryRaw<{ table_name: string; privileges: string }[]>`
      SELECT table_name, string_agg(privilege_type, ',' ORDER BY privilege_type) AS privileges
      FROM information_schema.role_table_grants WHERE grantee = ${role} GROUP BY table_name`;
    const byTable = Object.fromEntries(tables.map((t) => [t.table_name, t.privileges]));
    expect(byTable.audit_events).toBe('INSERT,SELECT');
    expect(byTable.audit_head).toBe('INSERT,SELECT,UPDATE');
    expect(byTable._prisma_migrations).toBe('SELECT');
    expect(byTable.access_requests).toBe('DELETE,INSERT,SELECT,UPDATE');
  });
});
