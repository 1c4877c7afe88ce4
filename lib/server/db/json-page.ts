import 'server-only';
import { Prisma } from '@/lib/server/db/generated/client';

// Pieces of the list pages PostgreSQL writes as JSON (docs/decisions/023-list-rows-and-throughput.md).

/** A TIMESTAMP(3) column (UTC, as Prisma stores it) as the ISO 8601 text `Date.toJSON()` gives. */
export const isoTimestamp = (column: Prisma.Sql) => Prisma.sql`to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Parses a page's JSON text for server-rendered pages, turning the named time fields back into Dates. */
export function parseWithDates<T>(json: string, dateKeys: ReadonlySet<string>): T {
  return JSON.parse(json, (key, value: unknown) => (dateKeys.has(key) && typeof value === 'string' ? new Date(value) : value)) as T;
}
