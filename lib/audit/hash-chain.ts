import { createHash } from 'node:crypto';

/** The chain starts from this hash (no event before the first). */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit event that the hash covers (everything but the hash itself). */
export interface ChainedEvent {
  seq: number;
  occurredAt: Date;
  actorId: string | null;
  actorName: string;
  action: string;
  targetType: string;
  targetId: string;
  environment: string | null;
  teamId: string | null;
  requestId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  userAgent: string | null;
  prevHash: string;
}

/** JSON with object keys sorted at every level, so that a value hashes the same after a database round trip (jsonb reorders keys). */
export function canonicalJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 over the previous hash and the canonical form of exactly the chained fields (extra properties, such as a stored hash, are ignored). */
export function hashEvent(event: ChainedEvent): string {
  const covered = {
    seq: event.seq,
    occurredAt: event.occurredAt,
    actorId: event.actorId,
    actorName: event.actorName,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    environment: event.environment,
    teamId: event.teamId,
    requestId: event.requestId,
    before: event.before,
    after: event.after,
    ip: event.ip,
    userAgent: event.userAgent,
  };
  return createHash('sha256').update(event.prevHash).update('\n').update(canonicalJson(covered)).digest('hex');
}

export type ChainBreak =
  /** The event's content does not match its hash: it was edited. */
  | { seq: number; reason: 'hash-mismatch' }
  /** The event does not link to the one before it: that one was edited and re-hashed. */
  | { seq: number; reason: 'link-mismatch' }
  /** No event has this seq, though later ones, the head or a checkpoint show it existed: it was removed. */
  | { seq: number; reason: 'missing' }
  /** The end of the chain is not the stored head. */
  | { seq: number; reason: 'head-mismatch' }
  /**
   * The chain has another hash at `seq` than a signed checkpoint kept outside the database: events
   * after `since` (the last checkpoint that agrees, 0 for none) up to `seq` were rewritten and re-hashed.
   */
  | { seq: number; reason: 'checkpoint-mismatch'; since: number; checkpointAt: string }
  /** A record in the checkpoint store is not signed with the portal's key: forged or damaged. */
  | { seq: number; reason: 'checkpoint-signature' };

/** A chain head as a checkpoint saw it (signature already checked). */
export interface ChainCheckpoint {
  seq: number;
  hash: string;
  /** When it was taken, ISO 8601. */
  at: string;
}

export interface ChainVerifier {
  /** Feeds the next event in seq order; returns the first break found so far, if any. */
  push(event: ChainedEvent & { hash: string }): ChainBreak | null;
  /** Compares the end of the chain with the stored head and the checkpoints (detects a removed tail). */
  finish(head: { seq: number; hash: string } | null): ChainBreak | null;
  readonly checked: number;
}

/**
 * Verifies events streamed in seq order: seq has no gap (a removed row is "seq N missing"), each
 * event's prevHash is the hash of the event before it (an edited and re-hashed row breaks the next
 * link), and its hash matches its content (an edited row). All of that a writer who re-hashes
 * everything after an edit can keep consistent; the checkpoints cannot be rewritten with the
 * database, so the chain must still have each checkpoint's hash at its seq, and reach at least its
 * seq (docs/decisions/030-audit-history-integrity.md). The head kept beside the chain catches a
 * removed last event when no checkpoint has seen it yet.
 */
export function createChainVerifier(checkpoints: readonly ChainCheckpoint[] = []): ChainVerifier {
  const pending = [...checkpoints].sort((a, b) => a.seq - b.seq);
  let next = 0;
  let agreed = 0;
  let previous = GENESIS_HASH;
  let lastSeq = 0;
  let checked = 0;
  let broken: ChainBreak | null = null;
  const check = (event: ChainedEvent & { hash: string }): ChainBreak | null => {
    if (event.seq !== lastSeq + 1) {
      // A changed seq is an edit of that row; an intact row after a gap means the rows between went.
      return hashEvent(event) !== event.hash ? { seq: event.seq, reason: 'hash-mismatch' } : { seq: lastSeq + 1, reason: 'missing' };
    }
    if (event.prevHash !== previous) return { seq: event.seq, reason: 'link-mismatch' };
    if (hashEvent(event) !== event.hash) return { seq: event.seq, reason: 'hash-mismatch' };
    while (next < pending.length && pending[next]!.seq <= event.seq) {
      const checkpoint = pending[next++]!;
      if (checkpoint.seq < event.seq) continue; // unreachable without a gap, which is reported above
      if (checkpoint.hash !== event.hash) return { seq: event.seq, reason: 'checkpoint-mismatch', since: agreed, checkpointAt: checkpoint.at };
      agreed = event.seq;
    }
    return null;
  };
  return {
    push(event) {
      if (broken) return broken;
      checked++;
      broken = check(event);
      previous = event.hash;
      lastSeq = event.seq;
      return broken;
    },
    finish(head) {
      if (broken) return broken;
      // A checkpoint or the head past the last event: the tail after lastSeq was cut.
      if (next < pending.length || (head && head.seq > lastSeq)) broken = { seq: lastSeq + 1, reason: 'missing' };
      else if (!head) broken = checked === 0 ? null : { seq: lastSeq, reason: 'head-mismatch' };
      else if (head.seq !== lastSeq || head.hash !== previous) broken = { seq: head.seq, reason: 'head-mismatch' };
      return broken;
    },
    get checked() {
      return checked;
    },
  };
}

/** What a verification found; the API answers it as JSON. */
export interface ChainReport {
  ok: boolean;
  checked: number;
  firstBreak: ChainBreak | null;
  /** The head the chain was verified up to (null: empty history). */
  head: { seq: number; hash: string } | null;
  /** Signed checkpoints read from outside the database, and the latest of them. */
  checkpoints: { read: number; latest: ChainCheckpoint | null; written: ChainCheckpoint | null };
  verifiedAt: string;
}
