import Link from 'next/link';
import { AUDIT_ACTIONS, type AuditAction } from '@/lib/audit/actions';
import { formatInstant } from '@/lib/i18n/format';
import type { MessageKey, Translate } from '@/lib/i18n/messages';

// How the history shows an event (docs/decisions/048-time-zone-policy.md): its name in the reader's
// language, the target by name with a link, the change as readable lines (nothing cut mid-word).

const KNOWN = new Set<string>(AUDIT_ACTIONS);

/** Readable names of targets by `type:id` (`request:<id>` also names its grant). */
export type AuditTargetNames = Record<string, string>;

/** The event's name in the reader's language ("Access given back"), never the raw key. */
export function eventLabel(action: string, t: Translate): string {
  return KNOWN.has(action) ? t(`audit.action.${action as AuditAction}`) : action;
}

const TARGET_TYPES = [
  'request',
  'grant',
  'secret',
  'role',
  'rule',
  'user',
  'deployment',
  'stack',
  'release',
  'alarm',
  'policy',
  'control_plane_change',
] as const;

/** Where a target is shown in the portal (null: nowhere of its own). */
function targetHref(type: string, id: string, requestId: string | null): string | null {
  if ((type === 'request' || type === 'grant') && (requestId ?? (type === 'request' ? id : null))) return `/requests/${encodeURIComponent(requestId ?? id)}`;
  if (type === 'secret' || type === 'role' || type === 'rule') return '/catalog';
  if (type === 'user') return '/admin';
  if (type === 'deployment') return `/deployments/${encodeURIComponent(id)}`;
  if (type === 'alarm') return `/alarms/${encodeURIComponent(id)}`;
  if (type === 'release') return '/deployments';
  return null;
}

/** The target's kind and name, linked to where it is shown; the id stays in the tooltip. */
export function TargetLink({ type, id, requestId, names, t }: { type: string; id: string; requestId: string | null; names: AuditTargetNames; t: Translate }) {
  const kind = (TARGET_TYPES as readonly string[]).includes(type) ? t(`audit.target.${type}` as MessageKey) : type;
  const name = (type === 'grant' || type === 'request') && requestId ? names[`request:${requestId}`] : names[`${type}:${id}`];
  const href = targetHref(type, id, requestId);
  const text = name ?? id;
  return (
    <span className="text-xs">
      <span className="text-muted">{kind} </span>
      {href ? (
        <Link className={`text-primary underline ${name ? '' : 'font-mono'}`} href={href} title={id}>
          {text}
        </Link>
      ) : (
        <span className={name ? '' : 'font-mono'} title={id}>
          {text}
        </span>
      )}
    </span>
  );
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** "durationMinutes" and "approvals_required" as "duration minutes", "approvals required". */
function keyText(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
}

/** One value, whole: times in the reader's zone, lists joined, anything nested as compact JSON. */
function valueText(value: unknown, t: Translate, zone: string): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return ISO_TIME.test(value) ? formatInstant(value, t.locale, zone) : value;
  if (typeof value === 'boolean') return value ? t('audit.value.yes') : t('audit.value.no');
  if (typeof value === 'number') return new Intl.NumberFormat(t.locale).format(value);
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object'))
    return value.length ? value.map((v) => valueText(v, t, zone)).join(', ') : '—';
  return JSON.stringify(value);
}

export interface ChangeLine {
  key: string;
  before?: string;
  after?: string;
}

/**
 * A change as lines: for objects each field that differs ("status: PENDING → APPROVED"), every field
 * of a created or removed object; otherwise the single value before and after.
 */
export function changeLines(before: unknown, after: unknown, t: Translate, zone: string): ChangeLine[] {
  const b = before ?? null;
  const a = after ?? null;
  if ((isRecord(b) || b === null) && (isRecord(a) || a === null) && (b !== null || a !== null)) {
    const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])];
    return keys
      .filter((k) => b === null || a === null || JSON.stringify(b[k]) !== JSON.stringify(a[k]))
      .map((k) => ({
        key: keyText(k),
        before: b && k in b ? valueText(b[k], t, zone) : undefined,
        after: a && k in a ? valueText(a[k], t, zone) : undefined,
      }));
  }
  if (b === null && a === null) return [];
  return [{ key: '', before: b === null ? undefined : valueText(b, t, zone), after: a === null ? undefined : valueText(a, t, zone) }];
}

const SHOWN = 6;

function Line({ line }: { line: ChangeLine }) {
  return (
    <li className="[overflow-wrap:anywhere]">
      {line.key ? <span className="text-muted">{line.key}: </span> : null}
      {line.before !== undefined && line.after !== undefined ? (
        <>
          <span className="text-muted line-through">{line.before}</span> → <span>{line.after}</span>
        </>
      ) : (
        <span className={line.after === undefined ? 'text-muted line-through' : undefined}>{line.after ?? line.before}</span>
      )}
    </li>
  );
}

/** The change of an event as readable key/value lines; beyond six, the rest opens on demand. */
export function ChangeView({ before, after, t, zone }: { before: unknown; after: unknown; t: Translate; zone: string }) {
  const lines = changeLines(before, after, t, zone);
  if (lines.length === 0) return <span className="text-muted">{t('audit.change.none')}</span>;
  return (
    <div className="max-w-md text-xs" data-testid="audit-change">
      <ul className="space-y-0.5">
        {lines.slice(0, SHOWN).map((l, i) => (
          <Line key={i} line={l} />
        ))}
      </ul>
      {lines.length > SHOWN ? (
        <details className="mt-1">
          <summary className="cursor-pointer text-primary">{t('audit.change.more', { count: lines.length - SHOWN })}</summary>
          <ul className="mt-1 space-y-0.5">
            {lines.slice(SHOWN).map((l, i) => (
              <Line key={i} line={l} />
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
