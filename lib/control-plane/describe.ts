import type { ControlPlaneChange, ControlPlaneChangeKind } from '@/lib/control-plane/model';

/** One line of "what changes" in a proposal: a field, its value now and its value once applied. */
export interface ChangeLine {
  field: string;
  from: string | null;
  to: string;
}

// Fields of the payload that are not the target's own values.
const SKIP = new Set(['id', 'name', 'requestType', 'environment']);

const show = (v: unknown): string => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** The fields a proposal changes, as the pending list shows them (a new entry lists every field, from null). */
export function describeChange(change: Pick<ControlPlaneChange, 'kind' | 'before' | 'payload'>): ChangeLine[] {
  if (change.kind === 'USER_ROLES') {
    const before = Array.isArray(change.before) ? (change.before as string[]) : [];
    const after = (change.payload as { roles?: string[] }).roles ?? [];
    return [{ field: 'roles', from: before.join(', ') || '—', to: after.join(', ') || '—' }];
  }
  const payload = (change.payload ?? {}) as Record<string, unknown>;
  const before = change.before && typeof change.before === 'object' ? (change.before as Record<string, unknown>) : null;
  const lines: ChangeLine[] = [];
  for (const [field, value] of Object.entries(payload)) {
    if (SKIP.has(field)) continue;
    if (before && show(before[field]) === show(value)) continue;
    lines.push({ field, from: before ? show(before[field]) : null, to: show(value) });
  }
  return lines;
}

/** A proposed change as a page sends it to the browser (plain, serialisable). */
export interface PendingChangeView {
  id: string;
  kind: ControlPlaneChangeKind;
  targetLabel: string;
  isNew: boolean;
  authorName: string;
  createdAt: string;
  /** The viewer proposed it: they may withdraw it, not approve it. */
  own: boolean;
  lines: ChangeLine[];
}

/** The pending list's view of a change for one viewer. */
export function toPendingView(change: ControlPlaneChange, viewerId: string): PendingChangeView {
  return {
    id: change.id,
    kind: change.kind,
    targetLabel: change.targetLabel,
    isNew: change.before === null,
    authorName: change.authorName,
    createdAt: change.createdAt.toISOString(),
    own: change.authorId === viewerId,
    lines: describeChange(change),
  };
}
