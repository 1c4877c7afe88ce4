/**
 * Shared plumbing of the production-shape benchmarks (bench/scale-out.ts, load.ts, faults.ts):
 * `next start` replicas in their own process groups, session cookies, a PostgreSQL database per
 * run, a TCP proxy that can take the database away, percentiles, and a watchdog so that every run
 * stops by itself. Everything listens on and talks to 127.0.0.1 only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { encode } from 'next-auth/jwt';
import pg from 'pg';
// @ts-expect-error -- plain ESM helper shared with the test runner (scripts/ is JavaScript, without types)
import { ensurePostgres } from '../scripts/postgres.mjs';
import { SERVER_NODE_FLAGS } from '../scripts/server-flags.mjs';

export const root = path.resolve(import.meta.dirname, '..');
export const HOST = '127.0.0.1';
/** Session-signing key of benchmark servers only. */
export const BENCH_SECRET = 'bench-only-secret-0123456789abcdefghijklmnopqrstuvwxyz';
/** Where server logs go (the secret scan reads them too). */
export const LOG_DIR = path.join(root, '.test-results', 'bench');

export const USERS = {
  minji: 'usr_minji_kim',
  jaewon: 'usr_jaewon_choi',
  daniel: 'usr_daniel_okafor',
  seoyeon: 'usr_seoyeon_park',
  lucas: 'usr_lucas_meyer',
  priya: 'usr_priya_raman',
  admin: 'usr_hyunwoo_lee',
} as const;

const t0 = Date.now();
/** A progress line with the seconds since the run started. */
export function log(message: string) {
  console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${message}`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `--name value` / `--flag` from argv. */
export function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const next = process.argv[i + 1];
  return next && !next.startsWith('--') ? next : 'true';
}

export function numberArg(name: string, fallback: number): number {
  const raw = arg(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, not ${raw}`);
  return n;
}

export function requireBuild() {
  if (!fs.existsSync(path.join(root, '.next', 'BUILD_ID')))
    throw new Error('Run `npx next build` (or `npm run build`) first: the benchmarks serve the production build.');
}

/** q in [0, 1] of already sorted numbers. */
export function percentile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const cleanups: (() => void | Promise<void>)[] = [];
/** Registers something to undo when the run ends, however it ends. */
export function onCleanup(fn: () => void | Promise<void>) {
  cleanups.push(fn);
}

async function cleanupAll() {
  for (const fn of cleanups.splice(0).reverse()) {
    try {
      await fn();
    } catch (e) {
      console.error('cleanup failed:', e);
    }
  }
}

/**
 * Runs `main` with a hard time limit; cleans up (servers, proxies, databases) on success, failure,
 * Ctrl-C or timeout. Exit code: 0 when main returns true, 1 when an invariant failed, 2 on timeout.
 */
export function runBench(name: string, limitMs: number, main: () => Promise<boolean>) {
  let done = false;
  const finish = async (code: number) => {
    if (done) return;
    done = true;
    await cleanupAll();
    process.exit(code);
  };
  const watchdog = setTimeout(() => {
    console.error(`${name}: stopped after its ${Math.round(limitMs / 1000)} s limit`);
    void finish(2);
  }, limitMs);
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void finish(130));
  main().then(
    (ok) => {
      console.log(ok ? `${name}: every invariant held` : `${name}: INVARIANT FAILED (see above)`);
      void finish(ok ? 0 : 1);
    },
    (e) => {
      console.error(`${name} failed:`, e);
      void finish(1);
    },
  );
}

/** A failed invariant: printed, and the run's result becomes false. */
export class Checks {
  private failures: string[] = [];
  check(ok: boolean, what: string, detail?: unknown) {
    console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}${!ok && detail !== undefined ? `: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}` : ''}`);
    if (!ok) this.failures.push(what);
  }
  get ok() {
    return this.failures.length === 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Servers

export interface Server {
  name: string;
  port: number;
  base: string;
  child: ChildProcess;
  logFile: string;
  /** SIGKILL to the whole process group: a crash, no shutdown hooks. */
  kill(): Promise<void>;
  /** SIGSTOP / SIGCONT to the whole process group: frozen mid-work, then thawed. */
  freeze(): void;
  thaw(): void;
  /** SIGTERM (graceful), SIGKILL after 10 s. */
  stop(): Promise<void>;
}

export const BASE_ENV: Record<string, string> = {
  NODE_ENV: 'production',
  GATEHOUSE_AUTH: 'local',
  GATEHOUSE_ALLOW_LOCAL_SIGNIN: 'true',
  GATEHOUSE_CLOUD: 'sandbox',
  NEXTAUTH_SECRET: BENCH_SECRET,
  // Required in production with aws mode (docs/decisions/030-audit-history-integrity.md); checkpoints stay in a file.
  GATEHOUSE_AUDIT_CHECKPOINT_KEY: 'bench-only-audit-checkpoint-key-0123456789',
  GATEHOUSE_AUDIT_CHECKPOINTS: 'file',
  GATEHOUSE_API_RATE_PER_MINUTE: '1000000',
  GATEHOUSE_SIGNIN_RATE_PER_MINUTE: '1000000',
};

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

/** Starts `next start` on 127.0.0.1:port with env, in its own process group; resolves when /api/health answers 200. */
export async function startServer(
  name: string,
  port: number,
  env: Record<string, string>,
  { timeoutMs = 180_000, nodeFlags = [] as string[] } = {},
): Promise<Server> {
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const logFile = path.join(LOG_DIR, `${name}.log`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    [...SERVER_NODE_FLAGS, ...nodeFlags, path.join(root, 'node_modules/next/dist/bin/next'), 'start', '-p', String(port), '-H', HOST],
    {
      cwd: root,
      env: { ...process.env, ...BASE_ENV, NEXTAUTH_URL: `http://${HOST}:${port}`, ...env },
      stdio: ['ignore', out, out],
      detached: true,
    },
  );
  fs.closeSync(out);
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  const server: Server = {
    name,
    port,
    base: `http://${HOST}:${port}`,
    child,
    logFile,
    async kill() {
      signalGroup('SIGKILL');
      await exited(child);
    },
    freeze: () => signalGroup('SIGSTOP'),
    thaw: () => signalGroup('SIGCONT'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return signalGroup('SIGKILL');
      signalGroup('SIGTERM');
      await Promise.race([exited(child), sleep(10_000)]);
      signalGroup('SIGKILL');
      await exited(child);
    },
  };
  onCleanup(() => server.stop());
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} while starting; see ${logFile}`);
    try {
      const res = await fetch(`${server.base}/api/health`);
      if (res.ok) return server;
    } catch {
      // not listening yet
    }
    await sleep(300);
  }
  throw new Error(`${name} did not become healthy within ${timeoutMs / 1000} s; see ${logFile}`);
}

/** The last lines of a server's log (printed when something fails). */
export function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** A session cookie for a seeded user, minted with the benchmark servers' key. */
export async function sessionCookie(userId: string): Promise<string> {
  const token = await encode({ token: { uid: userId, sub: userId, sid: randomUUID() }, secret: BENCH_SECRET, maxAge: 6 * 3600 });
  return `next-auth.session-token=${token}`;
}

export interface ApiResult {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
  ms: number;
}

/** One JSON call (no Origin header: a script, like automation would be). */
export async function api(base: string, cookie: string, method: 'GET' | 'POST', p: string, body?: unknown, timeoutMs = 30_000): Promise<ApiResult> {
  const started = performance.now();
  const res = await fetch(base + p, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let parsed: ApiResult['body'] = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { raw: text.slice(0, 200) };
  }
  return { status: res.status, body: parsed, ms: performance.now() - started };
}

/** Runs `work` over `items` with at most `concurrency` at once. */
export async function pool<T, R>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]!, i);
      }
    }),
  );
  return results;
}

/** Polls `probe` every `everyMs` until it returns true or `timeoutMs` passes; returns whether it did. */
export async function waitFor(probe: () => Promise<boolean>, timeoutMs: number, everyMs = 250): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await sleep(everyMs);
  }
  return probe();
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/** A fresh database on the local PostgreSQL (scripts/postgres.mjs), dropped when the run ends. */
export async function createPgDatabase(prefix: string): Promise<{ url: string; name: string; sql: pg.Pool }> {
  const info = ensurePostgres({ log: () => {} }) as { url?: string; skipped?: string };
  if (!info.url) throw new Error(info.skipped ?? 'PostgreSQL is not available');
  const name = `${prefix}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: info.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(info.url);
  url.pathname = `/${name}`;
  const sql = new pg.Pool({ connectionString: url.toString(), max: 2 });
  sql.on('error', () => {});
  onCleanup(async () => {
    await sql.end().catch(() => {});
    const c = new pg.Client({ connectionString: info.url });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  return { url: url.toString(), name, sql };
}

// ---------------------------------------------------------------------------------------------
// A TCP proxy that can take the database away

/**
 * Forwards 127.0.0.1:port to target. `down()` behaves like a stopped server: every open connection
 * is reset and new ones are refused (the port is closed); `up()` listens again.
 */
export class TcpProxy {
  private server: net.Server | null = null;
  private sockets = new Set<net.Socket>();
  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {
    onCleanup(() => this.down());
  }

  async up(): Promise<void> {
    if (this.server) return;
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, HOST, () => resolve());
    });
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }
}

// ---------------------------------------------------------------------------------------------
// Secret scan of what a run left

/**
 * Runs scripts/secret-scan.mjs over server logs and database dumps, with the run's own secrets
 * (session key, AWS secret key, database password) as literals; records the result as a check.
 */
export async function scanForSecrets(c: Checks, label: string, o: { paths: string[]; pg?: string[]; literals: string[] }) {
  const { scan } = await import('../scripts/secret-scan.mjs');
  const { findings, scanned } = await scan({ paths: o.paths, pg: o.pg ?? [], literals: o.literals });
  c.check(
    findings.length === 0,
    `${label}: no secret value or credential in ${scanned.files} log file(s) and ${scanned.rows} database row(s) (${o.literals.length} run secrets + the standard patterns)`,
    findings.slice(0, 5),
  );
}

// ---------------------------------------------------------------------------------------------
// Memory, from the servers' own `[memory]` log lines (GATEHOUSE_MEMORY_LOG_SECONDS, lib/server/memory-log.ts)

export interface MemorySample {
  at: number;
  rssMb: number;
  heapUsedMb: number;
}

/** The `[memory]` lines of a server log between two instants (epoch ms). */
export function memorySamples(logFile: string, from = 0, to = Infinity): MemorySample[] {
  const out: MemorySample[] = [];
  for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) {
    const i = line.indexOf('[memory] ');
    if (i < 0) continue;
    const m = JSON.parse(line.slice(i + '[memory] '.length)) as { at: string; rssMb: number; heapUsedMb: number };
    const at = Date.parse(m.at);
    if (at >= from && at <= to) out.push({ at, rssMb: m.rssMb, heapUsedMb: m.heapUsedMb });
  }
  return out;
}

export interface MemoryGrowth {
  /** Per window after the first: the lowest heap after a collection (the floor) and the median RSS. */
  windows: { heapFloorMb: number; rssMedianMb: number }[];
  heapGrowthMb: number;
  rssGrowthMb: number;
  /** A leak grows both floors steadily; a GC's sawtooth does not move the floor. */
  heapGrows: boolean;
  rssGrows: boolean;
}

/**
 * Whether memory grows over a run: the samples are cut into `windowMs` windows; the first is the
 * warm-up (JIT, caches filling) and left out; the last window's heap floor (its lowest heapUsed, what
 * survives collections) and median RSS are compared with the second window's. Growth beyond
 * max(10 MB, 5 %) counts as growing. Null when the run is shorter than three windows.
 */
export function memoryGrowth(samples: MemorySample[], windowMs = 60_000): MemoryGrowth | null {
  if (samples.length < 3) return null;
  const start = samples[0]!.at;
  const byWindow = new Map<number, MemorySample[]>();
  for (const s of samples) {
    const w = Math.floor((s.at - start) / windowMs);
    byWindow.set(w, [...(byWindow.get(w) ?? []), s]);
  }
  // Only whole windows: a last window of a few samples, all on one rise of the sawtooth, has no floor.
  const most = Math.max(...[...byWindow.values()].map((xs) => xs.length));
  const full = [...byWindow.entries()].sort((a, b) => a[0] - b[0]).filter(([, xs]) => xs.length >= Math.max(2, most * 0.8));
  if (full.length < 3) return null;
  const windows = full.slice(1).map(([, xs]) => {
    const rss = xs.map((x) => x.rssMb).sort((a, b) => a - b);
    return { heapFloorMb: Math.min(...xs.map((x) => x.heapUsedMb)), rssMedianMb: rss[Math.floor(rss.length / 2)]! };
  });
  const first = windows[0]!;
  const last = windows[windows.length - 1]!;
  const grows = (a: number, b: number) => b - a > Math.max(10, a * 0.05);
  return {
    windows,
    heapGrowthMb: last.heapFloorMb - first.heapFloorMb,
    rssGrowthMb: last.rssMedianMb - first.rssMedianMb,
    heapGrows: grows(first.heapFloorMb, last.heapFloorMb),
    rssGrows: grows(first.rssMedianMb, last.rssMedianMb),
  };
}
