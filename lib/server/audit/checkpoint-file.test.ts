import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileCheckpointStore } from '@/lib/server/audit/checkpoint-file';

describe('file checkpoint store', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cp-file-'));
    file = path.join(dir, 'nested', 'audit-checkpoints.log');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads nothing before the first write', async () => {
    const store = createFileCheckpointStore(file);
    expect(await store.readAll()).toEqual([]);
    expect(await store.readLatest()).toBeNull();
    expect(store.location).toBe(`file:${file}`);
  });

  it('appends lines to a 0600 file and keeps what was there', async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'older\n', { mode: 0o600 });
    const store = createFileCheckpointStore(file);
    await store.append('{"seq":1}');
    await store.append('{"seq":2}');
    expect(fs.readFileSync(file, 'utf8')).toBe('older\n{"seq":1}\n{"seq":2}\n');
    expect(await store.readAll()).toEqual(['older', '{"seq":1}', '{"seq":2}']);
    expect(await store.readLatest()).toBe('{"seq":2}');
  });

  it('creates the file with mode 0600', async () => {
    await createFileCheckpointStore(file).append('x');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('finds the newest line at the end of a long file without reading it all', async () => {
    const store = createFileCheckpointStore(file);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, Array.from({ length: 2000 }, (_, i) => `{"seq":${i + 1},"pad":"${'x'.repeat(100)}"}`).join('\n') + '\n');
    expect(await store.readLatest()).toBe(`{"seq":2000,"pad":"${'x'.repeat(100)}"}`);
    expect(await store.readAll()).toHaveLength(2000);
  });

  it('refuses a record that is not one line', async () => {
    await expect(createFileCheckpointStore(file).append('a\nb')).rejects.toThrow('one line');
  });
});
