import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { ChainCheckpoint } from '@/lib/audit/hash-chain';

/**
 * Checkpoints of the audit chain's head, kept outside the database and signed with a key the
 * database never holds (docs/decisions/030-audit-history-integrity.md). Whoever can write the
 * database can re-hash the chain, but cannot make an earlier checkpoint agree with it.
 */

/** A checkpoint as stored: one JSON line, its HMAC-SHA256 in `sig` (hex). */
export interface SignedCheckpoint extends ChainCheckpoint {
  v: 1;
  sig: string;
}

/**
 * Where checkpoints are kept: append-only, outside the database (a local file, a CloudWatch Logs
 * stream). The store keeps lines and knows nothing of signatures.
 */
export interface CheckpointStore {
  /** Where it writes, for logs and the verify report (no secrets). */
  readonly location: string;
  /** Appends one record. */
  append(record: string): Promise<void>;
  /** Every record, oldest first. */
  readAll(): Promise<string[]>;
  /** The newest record, or null when there is none. */
  readLatest(): Promise<string | null>;
}

/** What checkpointing needs: the store, the signing key, and a clock. */
export interface CheckpointDeps {
  store: CheckpointStore;
  key: Uint8Array;
  now: () => Date;
}

const DOMAIN = 'gatehouse-audit-checkpoint/v1';

function mac(key: Uint8Array, c: ChainCheckpoint): string {
  return createHmac('sha256', key).update(`${DOMAIN}\n${c.seq}\n${c.hash}\n${c.at}`).digest('hex');
}

/** Signs a checkpoint of the head `seq`/`hash` taken at `at`. */
export function signCheckpoint(key: Uint8Array, c: ChainCheckpoint): SignedCheckpoint {
  return { v: 1, seq: c.seq, hash: c.hash, at: c.at, sig: mac(key, c) };
}

/** The record a store keeps for a signed checkpoint (fixed key order: one line of JSON). */
export function formatCheckpoint(c: SignedCheckpoint): string {
  return JSON.stringify({ v: c.v, seq: c.seq, hash: c.hash, at: c.at, sig: c.sig });
}

const recordSchema = z.object({
  v: z.literal(1),
  seq: z.number().int().positive(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.iso.datetime(),
  sig: z.string().regex(/^[0-9a-f]{64}$/),
});

export type ReadCheckpoint = { ok: true; checkpoint: SignedCheckpoint } | { ok: false; seq: number };

/** Parses a record and checks its signature; a record that is not ours says which seq it claims (0 if none). */
export function readCheckpoint(key: Uint8Array, record: string): ReadCheckpoint {
  let json: unknown;
  try {
    json = JSON.parse(record);
  } catch {
    return { ok: false, seq: 0 };
  }
  const parsed = recordSchema.safeParse(json);
  if (!parsed.success) {
    const seq = (json as { seq?: unknown } | null)?.seq;
    return { ok: false, seq: typeof seq === 'number' && Number.isSafeInteger(seq) ? seq : 0 };
  }
  const expected = Buffer.from(mac(key, parsed.data), 'hex');
  const given = Buffer.from(parsed.data.sig, 'hex');
  return timingSafeEqual(expected, given) ? { ok: true, checkpoint: parsed.data } : { ok: false, seq: parsed.data.seq };
}

/** Every checkpoint in the store: those signed with our key, and the seqs of those that are not. */
export async function readCheckpoints(deps: Pick<CheckpointDeps, 'store' | 'key'>): Promise<{ valid: SignedCheckpoint[]; forged: number[] }> {
  const valid: SignedCheckpoint[] = [];
  const forged: number[] = [];
  for (const record of await deps.store.readAll()) {
    if (!record.trim()) continue;
    const read = readCheckpoint(deps.key, record);
    if (read.ok) valid.push(read.checkpoint);
    else forged.push(read.seq);
  }
  return { valid, forged };
}

/** Signs and appends a checkpoint of `head`, taken now. */
export async function writeCheckpoint(deps: CheckpointDeps, head: { seq: number; hash: string }): Promise<SignedCheckpoint> {
  const signed = signCheckpoint(deps.key, { seq: head.seq, hash: head.hash, at: deps.now().toISOString() });
  await deps.store.append(formatCheckpoint(signed));
  return signed;
}

/**
 * The background job's step: writes a checkpoint when the chain has grown past the newest one (an
 * unreadable newest record counts as none). Returns what it wrote, or null when nothing was due.
 */
export async function checkpointIfAdvanced(deps: CheckpointDeps, head: { seq: number; hash: string } | null): Promise<SignedCheckpoint | null> {
  if (!head) return null;
  const latest = await deps.store.readLatest();
  const read = latest ? readCheckpoint(deps.key, latest) : null;
  if (read?.ok && read.checkpoint.seq >= head.seq) return null;
  return writeCheckpoint(deps, head);
}
