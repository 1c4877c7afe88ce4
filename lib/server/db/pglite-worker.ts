import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { messages, types, type ParserOptions, type PGlite } from '@electric-sql/pglite';

type Parsers = ParserOptions;
interface Field {
  name: string;
  dataTypeID: number;
}
interface Result {
  rows: unknown[];
  fields: Field[];
  affectedRows?: number;
}
interface QueryOptions {
  rowMode?: 'array' | 'object';
  parsers?: Parsers;
}
interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
}

/** The worker's side: plain JavaScript, loaded at run time from the checkout (not bundled). */
const HOST = path.join(/*turbopackIgnore: true*/ process.cwd(), 'lib', 'server', 'db', 'pglite-worker-host.mjs');

function rebuild(e: { message: string; isDatabaseError?: boolean; stack?: string } & Record<string, unknown>): Error {
  // The adapter maps PGlite's DatabaseError to Prisma's errors (unique violations → P2002, …) by class.
  const error = e.isDatabaseError ? new messages.DatabaseError(e.message, Number(e.length ?? 0), 'error') : new Error(e.message);
  const { isDatabaseError: _, stack: __, ...fields } = e;
  Object.assign(error, fields);
  return error;
}

/**
 * PGlite on a worker thread, with the part of PGlite's interface that Prisma's adapter
 * (pglite-prisma-adapter), the migration runner and the health check use: query, exec, transaction,
 * close. One connection: the worker runs requests in the order they are sent, and a transaction's
 * statements run on the worker's transaction while other requests wait for it, as in PGlite itself.
 */
export class WorkerPGlite {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private readonly ready: Promise<void>;
  private nextId = 1;
  private nextTx = 1;
  closed = false;

  constructor(dataDir: string | undefined) {
    this.worker = new Worker(HOST, { workerData: { dataDir } });
    // The worker keeps the process alive only while a request is in flight (like a socket with a
    // query on it), so that a script that forgets to close the database still exits.
    this.worker.unref();
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('message', () => resolve());
      this.worker.once('error', reject);
    });
    this.worker.on('message', (msg: { id?: number; result?: unknown; error?: Record<string, unknown> & { message: string } }) => {
      if (msg.id === undefined) return;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (this.pending.size === 0) this.worker.unref();
      if (msg.error) p.reject(rebuild(msg.error));
      else p.resolve(msg.result);
    });
    this.worker.on('error', (e) => this.failAll(e));
    this.worker.on('exit', (code) => {
      this.closed = true;
      this.failAll(new Error(`the embedded database's worker exited (code ${code})`));
    });
  }

  private failAll(e: Error) {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  private call<T>(msg: Record<string, unknown>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the embedded database is closed'));
    const id = this.nextId++;
    if (this.pending.size === 0) this.worker.ref();
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...msg, id });
    });
  }

  get waitReady(): Promise<void> {
    return this.ready;
  }

  async query<T>(sql: string, params: unknown[] = [], options?: QueryOptions, tx?: number): Promise<{ rows: T[]; fields: Field[]; affectedRows?: number }> {
    const result = await this.call<Result>({ op: 'query', sql, params, rowMode: options?.rowMode, tx });
    return { ...result, rows: parseRows(result, options) as T[] };
  }

  async exec(sql: string, _options?: unknown, tx?: number): Promise<Result[]> {
    const results = await this.call<Result[]>({ op: 'exec', sql, tx });
    return results.map((r) => ({ ...r, rows: parseRows(r, undefined) }));
  }

  async transaction<T>(fn: (tx: WorkerTransaction) => Promise<T>): Promise<T> {
    const id = this.nextTx++;
    await this.call({ op: 'begin', tx: id });
    const tx: WorkerTransaction = {
      closed: false,
      query: (sql, params, options) => this.query(sql, params, options, id),
      exec: (sql) => this.exec(sql, undefined, id),
      rollback: async () => {
        tx.closed = true;
        await this.call({ op: 'rollback', tx: id });
      },
    };
    let result: T;
    try {
      result = await fn(tx);
    } catch (e) {
      await this.call({ op: 'end', tx: id, ok: false }).catch(() => {});
      throw e;
    }
    await this.call({ op: 'end', tx: id, ok: true });
    return result;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.call({ op: 'close' }).catch(() => {});
    this.closed = true;
    await this.worker.terminate();
  }

  /** For Prisma's adapter, which is typed against PGlite itself. */
  asPGlite(): PGlite {
    return this as unknown as PGlite;
  }
}

export interface WorkerTransaction {
  closed: boolean;
  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<{ rows: T[]; fields: Field[]; affectedRows?: number }>;
  exec(sql: string): Promise<Result[]>;
  rollback(): Promise<void>;
}

/** Parses PostgreSQL's text as PGlite would: the caller's parser for the type, else PGlite's own. */
function parseRows(result: Result, options: QueryOptions | undefined): unknown[] {
  const parsers = options?.parsers;
  const { fields } = result;
  const parse = (value: unknown, f: Field) => types.parseType(value as string, f.dataTypeID, parsers);
  if (options?.rowMode === 'array') return (result.rows as unknown[][]).map((row) => row.map((v, i) => parse(v, fields[i]!)));
  return (result.rows as Record<string, unknown>[]).map((row) => {
    const out: Record<string, unknown> = {};
    for (const f of fields) out[f.name] = parse(row[f.name], f);
    return out;
  });
}
