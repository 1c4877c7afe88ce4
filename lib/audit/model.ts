import type { Environment } from '@/lib/access/model';

/** What happened, as written to the audit history (hash and seq are added when it is appended). */
export interface AuditEntry {
  occurredAt: Date;
  actorId: string | null;
  actorName: string;
  action: string;
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

export const SYSTEM_ACTOR: AuditActor = { id: null, name: 'Gatehouse (system)' };
