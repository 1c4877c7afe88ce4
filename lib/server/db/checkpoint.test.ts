import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The process's own database (getDb), embedded, in a directory of this test's.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-checkpoint-'));
process.env.GATEHOUSE_DATA_DIR = dir;
delete process.env.DATABASE_URL;
const { checkpointEmbeddedDb, closeDb, getDb } = await import('@/lib/server/db/connection');

describe('checkpointEmbeddedDb', () => {
  afterAll(async () => {
    await closeDb();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes a checkpoint of the embedded database: its redo point moves past the writes made since the last one', async () => {
    const session = await getDb().session();
    const redo = async () => (await session.query<{ redo: string }>('SELECT redo_lsn::text AS redo FROM pg_control_checkpoint()'))[0]!.redo;
    await session.exec('CREATE TABLE t (id int PRIMARY KEY, v text)');
    await session.exec("INSERT INTO t SELECT g, repeat('x', 100) FROM generate_series(1, 20000) g");
    const before = await redo();
    await session.release();
    expect(await checkpointEmbeddedDb()).toBe(true);
    const after = await (async () => {
      const s = await getDb().session();
      try {
        return (
          await s.query<{ redo: string; lsn: string }>('SELECT redo_lsn::text AS redo, pg_current_wal_lsn()::text AS lsn FROM pg_control_checkpoint()')
        )[0]!;
      } finally {
        await s.release();
      }
    })();
    expect(after.redo).not.toBe(before);
    // Nothing was written after the checkpoint but the checkpoint record itself: replay would start there.
    const lsn = (x: string) => {
      const [hi, lo] = x.split('/');
      return BigInt(`0x${hi}`) * 2n ** 32n + BigInt(`0x${lo}`);
    };
    expect(lsn(after.lsn) - lsn(after.redo)).toBeLessThan(1024n);
  });
});
