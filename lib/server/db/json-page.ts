import 'server-only';
import { databaseOf } from '@/lib/server/db/database';
import { Prisma, type PrismaClient } from '@/lib/server/db/generated/client';

// Pieces of the list pages PostgreSQL writes as JSON (docs/decisions/023-list-rows-and-throughput.md).

/** A TIMESTAMP(3) column (UTC, as Prisma stores it) as the ISO 8601 text `Date.toJSON()` gives. */
export const isoTimestamp = (column: Prisma.Sql) => Prisma.sql`to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * A page size written into the statement's text, not sent as a parameter: with `LIMIT $n` the
 * planner prices a generic plan as if it read a tenth of the table, so a prepared statement would be
 * planned again on every call (decision 055). Only a positive integer is ever written.
 */
export function sqlLimit(n: number): Prisma.Sql {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`sqlLimit: ${n} is not a page size`);
  return Prisma.raw(String(n));
}

/** Parses a page's JSON text for server-rendered pages, turning the named time fields back into Dates. */
export function parseWithDates<T>(json: string, dateKeys: ReadonlySet<string>): T {
  return JSON.parse(json, (key, value: unknown) => (dateKeys.has(key) && typeof value === 'string' ? new Date(value) : value)) as T;
}

/**
 * Runs a list page's statement: through its database's prepared path when `db` is a database's own
 * client (decision 055), through Prisma otherwise (a transaction's client).
 */
export function queryReadOnly<T>(db: PrismaClient, statement: Prisma.Sql): Promise<T[]> {
  const owner = databaseOf(db);
  return owner ? owner.queryReadOnly<T>(statement) : db.$queryRaw<T[]>(statement);
}
