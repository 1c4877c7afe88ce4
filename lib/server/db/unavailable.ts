import 'server-only';

// Prisma's codes for "the database did not answer": can't reach, timed out, server closed the
// connection, no pool connection in time. Everything else (constraints, bad queries) is a real error.
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
// What the driver adapters report in `meta.driverAdapterError.cause.kind` for the same situations.
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
// PostgreSQL SQLSTATEs: class 08 (connection exception), shutdown / starting up, too many connections.
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
// node-postgres throws plain Errors (no code) when the socket goes away or connecting times out.
const PG_MESSAGES =
  /^(Connection terminated( unexpectedly| due to connection timeout)?|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable)$/;

type Loose = { name?: unknown; code?: unknown; message?: unknown; meta?: { driverAdapterError?: unknown }; cause?: unknown };

/**
 * True when `e` (from Prisma, its pg adapter or node-postgres) means the database is unreachable
 * or went away mid-request, so the caller should answer 503 and let the client retry; the pool
 * reconnects by itself once the server is back. Follows `cause` chains a few levels deep.
 */
export function isDatabaseUnavailable(e: unknown, depth = 0): boolean {
  if (depth > 4 || typeof e !== 'object' || e === null) return false;
  const err = e as Loose;
  const code = typeof err.code === 'string' ? err.code : undefined;
  if (code && (PRISMA_CODES.has(code) || SOCKET_CODES.has(code) || SQLSTATES.has(code) || code.startsWith('08'))) {
    // A Prisma code is only trusted from Prisma's own errors; a bare SQLSTATE comes from pg.
    if (!code.startsWith('P') || String(err.name).startsWith('PrismaClient')) return true;
  }
  if (typeof err.message === 'string' && PG_MESSAGES.test(err.message)) return true;
  const kind = (err.name === 'DriverAdapterError' ? err.cause : (err.meta?.driverAdapterError as Loose | undefined)?.cause) as { kind?: unknown } | undefined;
  if (typeof kind?.kind === 'string' && ADAPTER_KINDS.has(kind.kind)) return true;
  if (err.meta?.driverAdapterError && isDatabaseUnavailable(err.meta.driverAdapterError, depth + 1)) return true;
  return isDatabaseUnavailable(err.cause, depth + 1);
}
