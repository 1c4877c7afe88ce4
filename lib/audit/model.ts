import type { Environment } from '@/lib/environments';
import type { AuditAction } from '@/lib/audit/actions';

/** What happened, as written to the audit history (hash and seq are added when it is appended). */
export interface AuditEntry {
  occurredAt: Date;
  actorId: string | null;
  actorName: string;
  action: AuditAction;
  targetType: string;
  targetId: string;
  environment?: Environment | null;
  teamId?: string | null;
  requestId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Where a change came from: kept with each event. */
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}

/** The actor as the audit history names them (the system for jobs). */
export interface AuditActor {
  id: string | null;
  name: string;
}

/** The portal itself: jobs, the grant engine, sign-in synchronisation. The one name the history uses for it. */
export const SYSTEM_ACTOR: AuditActor = Object.freeze({ id: null, name: 'Gatehouse (system)' });

/** What an event is about. */
export interface AuditTarget {
  type: string;
  id: string;
}

/** The event's scope and the change it records (before and after are stored as JSON). */
export interface AuditDetails {
  environment?: Environment | null;
  teamId?: string | null;
  requestId?: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * The one way to build an audit event (docs/decisions/029-one-audit-path.md). It is appended with
 * `appendAudit` of the transaction that makes the change it records, so both commit or neither.
 */
export function auditEntry(actor: AuditActor, action: AuditAction, target: AuditTarget, details: AuditDetails, now: Date): AuditEntry {
  return {
    occurredAt: now,
    actorId: actor.id,
    actorName: actor.name,
    action,
    targetType: target.type,
    targetId: target.id,
    environment: details.environment ?? null,
    teamId: details.teamId ?? null,
    requestId: details.requestId ?? null,
    before: details.before,
    after: details.after,
  };
}

/**
 * The port every transaction that changes something offers its use case: the event is written in
 * that transaction. Transaction ports extend it rather than declaring their own.
 */
export interface AuditLog {
  appendAudit(entry: AuditEntry, origin: RequestOrigin | null): Promise<void>;
}

/** JSON with object keys sorted, so that two states that differ only in key order compare equal. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/** True when before and after are the same state: an edit that changes nothing writes nothing, audit included. */
export function isUnchanged(before: unknown, after: unknown): boolean {
  return canonicalJson(before) === canonicalJson(after);
}
