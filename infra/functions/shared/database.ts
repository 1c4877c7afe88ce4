import { Pool } from 'pg';
import { createRdsAuthToken } from './rds-auth-token';
import type { Credentials } from './sigv4';

/** The database port the handlers use; pg's Pool implements it, tests use a fake. */
export interface Database {
  query<Row extends Record<string, unknown> = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: Row[]; rowCount: number | null }>;
}

export interface ProxyConnection {
  host: string;
  port: number;
  database: string;
  user: string;
  region: string;
  credentials: () => Promise<Credentials>;
}

/**
 * A pool of one connection to the RDS Proxy, authenticated with a fresh IAM token per connection
 * and TLS verified against the system CAs (the proxy's certificate is issued by ACM). One
 * connection per function instance is what reserved concurrency is sized against
 * (docs/decisions/011-rds-proxy-and-concurrency.md).
 */
export function createProxyPool(connection: ProxyConnection, onError: (error: Error) => void): Pool {
  const pool = new Pool({
    host: connection.host,
    port: connection.port,
    database: connection.database,
    user: connection.user,
    password: () =>
      createRdsAuthToken({
        hostname: connection.host,
        port: connection.port,
        username: connection.user,
        region: connection.region,
        credentials: connection.credentials,
      }),
    ssl: { rejectUnauthorized: true, servername: connection.host },
    max: 1,
    connectionTimeoutMillis: 5000,
    // Lambda freezes idle instances; the proxy closes clients idle for IdleClientTimeout (30 min).
    idleTimeoutMillis: 10 * 60_000,
    statement_timeout: 8000,
  });
  // An idle connection dropped by the proxy (failover, idle timeout) must not crash the runtime.
  pool.on('error', onError);
  return pool;
}

/** Runs `work` with a deadline; rejects with a TimeoutError when the deadline passes first. */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what} took longer than ${ms} ms`), { name: 'TimeoutError' })), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
