/**
 * HTTP load for the benchmarks (autocannon): one URL under N clients, several URLs together while a
 * probe process asks /api/ping on a fixed schedule (bench/probe.ts). Shared by the list benchmark
 * (bench/requests-bench.ts) and the framework's floor (bench/framework-floor.ts), so that both
 * measure the same way.
 */
import { fork } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';

/** Clients at once, as issue 20 measures. */
export const CONNECTIONS = 50;
/** How often the probe process asks /api/ping while the others load the server. */
export const PROBE_EVERY_MS = 20;
const PROBE_SCRIPT = path.join(import.meta.dirname, 'probe.ts');

export interface LoadOptions {
  connections?: number;
  seconds: number;
  warmupSeconds: number;
}

export interface Figures {
  name: string;
  p50: number;
  p95: number;
  p99: number;
  rps: number;
  errors: number;
  /** What the errors were: HTTP statuses other than 200, connection errors, timeouts (10 s). */
  detail: string;
}

/** Unmeasured load: the JIT and the plan caches reach their steady state first. */
export function load(url: string, cookie: string, seconds: number, connections = CONNECTIONS) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    autocannon({ url, connections, duration: seconds, headers: { cookie } }, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

/** `connections` clients on one URL for `seconds` (after `warmupSeconds` unmeasured): latency quantiles, throughput, errors. */
export async function measure(name: string, url: string, cookie: string, { connections = CONNECTIONS, seconds, warmupSeconds }: LoadOptions): Promise<Figures> {
  if (warmupSeconds > 0) await load(url, cookie, warmupSeconds, connections);
  const times: number[] = [];
  let errors = 0;
  const statuses = new Map<number, number>();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: seconds, headers: { cookie } }, (err, res) => (err ? reject(err) : resolve(res)));
    instance.on('response', (_client, status, _bytes, ms) => {
      times.push(ms);
      if (status !== 200) {
        errors++;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    });
  });
  times.sort((a, b) => a - b);
  return {
    name,
    p50: quantile(times, 0.5),
    p95: quantile(times, 0.95),
    p99: quantile(times, 0.99),
    rps: result.requests.average,
    errors: errors + result.errors + result.timeouts,
    detail: errorDetail(statuses, result),
  };
}

export function quantile(sorted: number[], q: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

export interface Mixed {
  listRps: number;
  listErrors: number;
  listDetail: string;
  pingP50: number;
  pingP99: number;
  pingMax: number;
  pingCount: number;
  pingFailures: number;
}

/** `connections` clients on the paths together (each client cycles through them) while the probe process asks /api/ping. */
export async function measureMixed(base: string, paths: string[], cookie: string, { connections = CONNECTIONS, seconds }: LoadOptions): Promise<Mixed> {
  const probeChild = fork(PROBE_SCRIPT, [`${base}/api/ping`, cookie, String(seconds)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  let out = '';
  probeChild.stdout!.on('data', (d) => (out += d));
  // 'close': the process has exited and its output has been read to the end.
  const probed = new Promise<{ times: number[]; failures: number }>((resolve, reject) =>
    probeChild.once('close', (code) => {
      if (code !== 0) return reject(new Error(`the probe failed (exit ${code})`));
      try {
        resolve(JSON.parse(out));
      } catch (e) {
        reject(e);
      }
    }),
  );
  // Handled where it is awaited; this keeps an early failure from being an unhandled rejection meanwhile.
  probed.catch(() => {});
  // The load starts once the probe is warm and sending (it says 'ready').
  await new Promise<void>((resolve, reject) => {
    probeChild.once('message', () => resolve());
    probeChild.once('exit', (code) => reject(new Error(`the probe exited (${code}) before it was ready`)));
  });
  const statuses = new Map<number, number>();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url: base, connections, duration: seconds, headers: { cookie }, requests: paths.map((p) => ({ method: 'GET', path: p })) },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client, status) => {
      if (status !== 200) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
  }).catch((e: unknown) => {
    probeChild.kill();
    throw e;
  });
  const { times, failures } = await probed;
  times.sort((a, b) => a - b);
  const httpErrors = [...statuses.values()].reduce((a, b) => a + b, 0);
  const listDetail = errorDetail(statuses, result);
  return {
    listRps: result.requests.average,
    listErrors: httpErrors + result.errors + result.timeouts,
    listDetail,
    pingP50: quantile(times, 0.5),
    pingP99: quantile(times, 0.99),
    pingMax: times.at(-1) ?? NaN,
    pingCount: times.length,
    pingFailures: failures,
  };
}

/** What the errors of a run were: HTTP statuses other than 200, connection errors, timeouts. */
function errorDetail(statuses: Map<number, number>, result: autocannon.Result): string {
  return [
    ...[...statuses].map(([st, n]) => `HTTP ${st}: ${n}`),
    result.errors ? `connection errors: ${result.errors}` : '',
    result.timeouts ? `timeouts: ${result.timeouts}` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/** One row per measured URL: latency quantiles, throughput and its share of the constant route's `constantRps`, errors. */
export function printFigures(figures: Figures[], constantRps: number, firstColumn: string): void {
  console.log(
    firstColumn.padEnd(30),
    'p50 ms'.padStart(8),
    'p95 ms'.padStart(8),
    'p99 ms'.padStart(8),
    'req/s'.padStart(8),
    '% of constant'.padStart(14),
    'errors'.padStart(7),
  );
  for (const f of figures)
    console.log(
      f.name.padEnd(30),
      f.p50.toFixed(1).padStart(8),
      f.p95.toFixed(1).padStart(8),
      f.p99.toFixed(1).padStart(8),
      f.rps.toFixed(0).padStart(8),
      `${((100 * f.rps) / constantRps).toFixed(0)} %`.padStart(14),
      String(f.errors).padStart(7),
      f.detail ? `  (${f.detail})` : '',
    );
}

/** The machine's load average, as the benches print it at their start and end (how quiet the run was). */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
}
