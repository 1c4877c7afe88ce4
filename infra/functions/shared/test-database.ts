// Test-only: the databases the handler tests run their SQL against — always the embedded
// PostgreSQL (PGlite, in memory), and a real server through `pg` (as in the Lambda) when
// TEST_POSTGRES_URL is set (scripts/test.mjs starts one). Each call gives a new, empty database.
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Database } from './database';

export type TestDatabaseKind = 'embedded' | 'postgres';

export function testDatabaseKinds(): TestDatabaseKind[] {
  return process.env.TEST_POSTGRES_URL ? ['embedded', 'postgres'] : ['embedded'];
}

export async function openTestDatabase(kind: TestDatabaseKind): Promise<Database & { close(): Promise<void> }> {
  if (kind === 'embedded') {
    const lite = new PGlite();
    return {
      async query<Row extends Record<string, unknown>>(text: string, values?: unknown[]) {
        const r = await lite.query<Row>(text, values);
        return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
      },
      close: () => lite.close(),
    };
  }
  const adminUrl = process.env.TEST_POSTGRES_URL!;
  const name = `infra_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
  return {
    query: (text, values) => pool.query(text, values),
    async close() {
      await pool.end();
      await admin.query(`DROP DATABASE ${name}`);
      await admin.end();
    },
  };
}
