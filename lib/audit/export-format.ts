import type { ChainedEvent } from '@/lib/audit/hash-chain';

/**
 * Formats of the audit export (CSV, JSON). Pure functions over plain events: the route handler
 * feeds them rows streamed from the database, so an export never holds the whole history.
 */

/** An audit event as exported: the chained fields and the event's own hash. */
export type ExportableAuditEvent = ChainedEvent & { hash: string };

export type AuditExportFormat = 'csv' | 'json';

/** The CSV columns, in order (the header row). */
export const AUDIT_CSV_COLUMNS = [
  'seq',
  'occurred_at',
  'actor_id',
  'actor_name',
  'action',
  'target_type',
  'target_id',
  'environment',
  'team_id',
  'request_id',
  'before',
  'after',
  'ip',
  'user_agent',
  'prev_hash',
  'hash',
] as const;

// RFC 4180 ends records with CRLF; spreadsheet programs expect it.
const CRLF = '\r\n';

// A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection,
// OWASP): = + - @, and tab / carriage return, which some programs strip before looking.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: formula-like text gets a leading apostrophe; a field with a comma, quote, CR or LF is quoted (RFC 4180). */
export function formatCsvField(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** JSON columns hold the serialized value; a missing value is an empty field. */
function jsonCell(value: unknown): string {
  return value === null || value === undefined ? '' : JSON.stringify(value);
}

/** The CSV header line, CRLF-terminated. */
export function formatCsvHeader(): string {
  return AUDIT_CSV_COLUMNS.join(',') + CRLF;
}

/** One event as a CSV line, CRLF-terminated, in the order of AUDIT_CSV_COLUMNS. */
export function formatCsvRow(e: ExportableAuditEvent): string {
  const cells = [
    String(e.seq),
    e.occurredAt.toISOString(),
    e.actorId ?? '',
    e.actorName,
    e.action,
    e.targetType,
    e.targetId,
    e.environment ?? '',
    e.teamId ?? '',
    e.requestId ?? '',
    jsonCell(e.before),
    jsonCell(e.after),
    e.ip ?? '',
    e.userAgent ?? '',
    e.prevHash,
    e.hash,
  ];
  return cells.map(formatCsvField).join(',') + CRLF;
}

/** One event as a JSON object with a fixed key order (the keys of the audit API, dates as ISO strings). */
export function toExportObject(e: ExportableAuditEvent): Record<string, unknown> {
  return {
    seq: e.seq,
    occurredAt: e.occurredAt.toISOString(),
    actorId: e.actorId,
    actorName: e.actorName,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    environment: e.environment,
    teamId: e.teamId,
    requestId: e.requestId,
    before: e.before ?? null,
    after: e.after ?? null,
    ip: e.ip,
    userAgent: e.userAgent,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

/** The JSON array's element at `index`, with the separator that comes before it (`[` is written first, by the encoder). */
export function formatJsonElement(e: ExportableAuditEvent, index: number): string {
  return (index === 0 ? '\n' : ',\n') + JSON.stringify(toExportObject(e));
}

/** The end of the JSON array after `count` elements: `[]` when empty, else one element per line. */
export function formatJsonEnd(count: number): string {
  return count === 0 ? ']\n' : '\n]\n';
}

/**
 * The export as text chunks, in order: header (or `[`), one chunk per event, end. Reads the events
 * lazily, so a consumer that stops pulling stops the reading too.
 */
export async function* encodeAuditExport(format: AuditExportFormat, events: AsyncIterable<ExportableAuditEvent>): AsyncGenerator<string> {
  if (format === 'csv') {
    yield formatCsvHeader();
    for await (const e of events) yield formatCsvRow(e);
    return;
  }
  yield '[';
  let count = 0;
  for await (const e of events) yield formatJsonElement(e, count++);
  yield formatJsonEnd(count);
}

const MEDIA_TYPES: Record<AuditExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json',
};

/** The Content-Type of an export. */
export function exportContentType(format: AuditExportFormat): string {
  return MEDIA_TYPES[format];
}

/** The download's file name, with the export's date (UTC). */
export function exportFileName(format: AuditExportFormat, now: Date): string {
  return `gatehouse-audit-${now.toISOString().slice(0, 10)}.${format}`;
}
