import 'server-only';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { CheckpointStore } from '@/lib/audit/checkpoint';

/** How far from the end the newest record is looked for (a record is about 200 bytes). */
const TAIL_BYTES = 4096;

/**
 * Checkpoints in a local append-only file, one JSON line each: the local mode's store
 * (docs/decisions/030-audit-history-integrity.md). The portal only ever opens it with O_APPEND and
 * 0600; making the file append-only for its owner too (chattr +a) is the operator's choice.
 */
export function createFileCheckpointStore(file: string): CheckpointStore {
  return {
    location: `file:${file}`,
    async append(record) {
      if (record.includes('\n')) throw new Error('a checkpoint record is one line');
      await fs.mkdir(path.dirname(file), { recursive: true });
      const handle = await fs.open(file, 'a', 0o600);
      try {
        await handle.appendFile(`${record}\n`, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
    async readAll() {
      const text = await fs.readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? '' : Promise.reject(e)));
      return text.split('\n').filter((line) => line.trim() !== '');
    },
    async readLatest() {
      let handle: fs.FileHandle;
      try {
        handle = await fs.open(file, 'r');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
      try {
        const { size } = await handle.stat();
        const length = Math.min(size, TAIL_BYTES);
        const buffer = Buffer.alloc(length);
        await handle.read(buffer, 0, length, size - length);
        const lines = buffer
          .toString('utf8')
          .split('\n')
          .filter((line) => line.trim() !== '');
        return lines.at(-1) ?? null;
      } finally {
        await handle.close();
      }
    },
  };
}
