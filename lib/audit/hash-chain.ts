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
  | { seq: number; reason: 'hash-mismatch' }
  | { seq: number; reason: 'link-mismatch' }
  | { seq: number; reason: 'head-mismatch' };

export interface ChainVerifier {
  /** Feeds the next event in seq order; returns the first break found so far, if any. */
  push(event: ChainedEvent & { hash: string }): ChainBreak | null;
  /** Compares the end of the chain with the stored head (detects a removed tail). */
  finish(head: { seq: number; hash: string } | null): ChainBreak | null;
  readonly checked: number;
}

/**
 * Verifies events streamed in seq order: each event's hash must match its content, and its
 * prevHash the hash of the event before it (an edited row breaks the first; a removed row the
 * second). The head kept beside the chain catches a removed last event.
 */
export function createChainVerifier(): ChainVerifier {
  let previous = GENESIS_HASH;
  let lastSeq = 0;
  let checked = 0;
  let broken: ChainBreak | null = null;
  return {
    push(event) {
      if (broken) return broken;
      checked++;
      if (event.prevHash !== previous) broken = { seq: event.seq, reason: 'link-mismatch' };
      else if (hashEvent(event) !== event.hash) broken = { seq: event.seq, reason: 'hash-mismatch' };
      previous = event.hash;
      lastSeq = event.seq;
      return broken;
    },
    finish(head) {
      if (broken) return broken;
      if (!head) return checked === 0 ? null : { seq: lastSeq, reason: 'head-mismatch' };
      if (head.seq !== lastSeq || head.hash !== previous) broken = { seq: head.seq, reason: 'head-mismatch' };
      return broken;
    },
    get checked() {
      return checked;
    },
  };
}
