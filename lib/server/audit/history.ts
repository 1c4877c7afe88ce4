import 'server-only';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { checkpointIfAdvanced, type CheckpointDeps, type SignedCheckpoint } from '@/lib/audit/checkpoint';
import type { ChainReport } from '@/lib/audit/hash-chain';
import { verifyHistory } from '@/lib/audit/verify-history';
import { cloud } from '@/lib/server/cloud/adapters';
import { prisma } from '@/lib/server/db/connection';
import { readAuditHead, verifyAuditChain } from '@/lib/server/db/repositories/audit';
import { env } from '@/lib/server/env';

/** The database client the repositories take (tests pass their own). */
type Db = NonNullable<Parameters<typeof readAuditHead>[0]>;

/** How often the checkpoint job looks at the head: a new event is checkpointed within this time (the issue asks for a minute). */
export const AUDIT_CHECKPOINT_EVERY_MS = 30_000;

let cachedKey: Uint8Array | undefined;

/**
 * The checkpoints' HMAC key: GATEHOUSE_AUDIT_CHECKPOINT_KEY, else (local use; refused in production
 * with aws mode by the env schema) a random key made once in the data directory, mode 0600.
 */
export function auditCheckpointKey(): Uint8Array {
  cachedKey ??= readOrCreateKey();
  return cachedKey;
}

function readOrCreateKey(): Uint8Array {
  const e = env();
  if (e.GATEHOUSE_AUDIT_CHECKPOINT_KEY) return Buffer.from(e.GATEHOUSE_AUDIT_CHECKPOINT_KEY, 'utf8');
  const file = path.join(e.GATEHOUSE_DATA_DIR, 'audit-checkpoint-key');
  try {
    return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'utf8');
  } catch {
    fs.mkdirSync(e.GATEHOUSE_DATA_DIR, { recursive: true });
    const key = randomBytes(32).toString('base64url');
    try {
      // 'wx' fails if another process wrote it first; then theirs is the one to use.
      fs.writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
      return Buffer.from(key, 'utf8');
    } catch {
      return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'utf8');
    }
  }
}

/** The configured store, key and the wall clock. */
export function auditCheckpointDeps(): CheckpointDeps {
  return { store: cloud().checkpointStore(), key: auditCheckpointKey(), now: () => new Date() };
}

/** Verifies the audit history against the database's chain and the signed checkpoints, and checkpoints an intact head. */
export function verifyAuditHistory(db: Db = prisma(), deps: CheckpointDeps = auditCheckpointDeps()): Promise<ChainReport> {
  return verifyHistory((checkpoints) => verifyAuditChain(db, checkpoints), deps);
}

/**
 * The checkpoint job's run: checkpoints the head when it has moved past the newest checkpoint.
 * Several replicas may run it at once; two checkpoints of the same head are harmless.
 */
export async function runAuditCheckpoint(db: Db = prisma(), deps: CheckpointDeps = auditCheckpointDeps()): Promise<SignedCheckpoint | null> {
  return checkpointIfAdvanced(deps, await readAuditHead(db));
}
