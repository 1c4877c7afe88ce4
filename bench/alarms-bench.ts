/**
 * Alarm overview benchmark (alarm dashboard issue): p50/p95 of GET /api/v1/alarms with 500 alarms
 * under 50 concurrent clients, and how many CloudWatch calls the portal made meanwhile.
 *
 *   npm run build && npm run bench:alarms              # both runs, 60 s each
 *   BENCH_SECONDS=20 npm run bench:alarms -- --only=aws
 *
 * Two runs on the production build (`next start`), each on a fresh embedded database:
 *  - sandbox: the sandbox account with 455 synthetic alarms added to the stack's 45;
 *  - aws: GATEHOUSE_CLOUD=aws against a local fake CloudWatch (AWS_ENDPOINT_URL) that serves 500
 *    alarms in pages of 100 and counts every request the AWS SDK sends.
 * Each run: warm-up, 10 s of /api/ping (a constant route) for reference, then the overview for
 * BENCH_SECONDS; a side poller records every distinct `fetchedAt` the overview reports (one per
 * DescribeAlarms that reached the cache). Limit to meet: 1 DescribeAlarms per 30 s.
 * The benchmark stops by itself; it talks to 127.0.0.1 only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import autocannon from 'autocannon';
import { encode } from 'next-auth/jwt';
import { SERVER_NODE_FLAGS } from '../scripts/server-flags.mjs';

const DURATION = Number(process.env.BENCH_SECONDS ?? 60);
const CONNECTIONS = 50;
const PORT = Number(process.env.BENCH_PORT ?? 3212);
const REGION = 'eu-central-1';
const SECRET = 'bench-only-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const root = path.resolve(import.meta.dirname, '..');
const base = `http://127.0.0.1:${PORT}`;

function startServer(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [...SERVER_NODE_FLAGS, path.join(root, 'node_modules/next/dist/bin/next'), 'start', '-p', String(PORT), '-H', '127.0.0.1'],
    {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        GATEHOUSE_ALLOW_LOCAL_SIGNIN: 'true',
        GATEHOUSE_API_RATE_PER_MINUTE: '100000000',
        NEXTAUTH_SECRET: SECRET,
        NEXTAUTH_URL: base,
        AWS_REGION: REGION,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  child.stderr!.on('data', (d) => process.stderr.write(`[server] ${d}`));
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 120_000;
    const poll = async () => {
      try {
        if ((await fetch(`${base}/api/ping`)).ok) return resolve(child);
      } catch {
        // not up yet
      }
      if (Date.now() > deadline || child.exitCode !== null) return reject(new Error('server did not start'));
      setTimeout(poll, 300);
    };
    void poll();
  });
}

async function stopServer(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  // The whole process group: `next start` may leave a next-server child behind.
  process.kill(-child.pid!, 'SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (child.exitCode === null && child.signalCode === null) {
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
  }
}

/** A fake CloudWatch (JSON 1.0) and STS (query) endpoint: 500 alarms, every request counted by operation. */
async function fakeAws(): Promise<{ url: string; counts: Map<string, number>; close(): Promise<void> }> {
  const counts = new Map<string, number>();
  const now = Math.floor(Date.now() / 1000);
  const alarms = Array.from({ length: 500 }, (_, i) => {
    const env = ['dev', 'staging', 'prod'][i % 3]!;
    const fn = `bench-${env}-fn${String(i).padStart(3, '0')}`;
    return {
      AlarmName: `${fn}-errors`,
      AlarmArn: `arn:aws:cloudwatch:${REGION}:123456789012:alarm:${fn}-errors`,
      StateValue: i % 50 === 0 ? 'ALARM' : i % 17 === 0 ? 'INSUFFICIENT_DATA' : 'OK',
      StateReason: 'Threshold Crossed: 1 out of the last 3 datapoints [0.0 (30/11/26 09:00:00)] was not greater than or equal to the threshold (5.0).',
      StateUpdatedTimestamp: now - i * 60,
      ActionsEnabled: true,
      AlarmActions: [`arn:aws:sns:${REGION}:123456789012:bench-${env}-alarms`],
      OKActions: [],
      InsufficientDataActions: [],
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Statistic: 'Sum',
      Dimensions: [{ Name: 'FunctionName', Value: fn }],
      Period: 60,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    };
  });
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      if (target.endsWith('.DescribeAlarms')) {
        counts.set('CloudWatch DescribeAlarms (HTTP pages)', (counts.get('CloudWatch DescribeAlarms (HTTP pages)') ?? 0) + 1);
        const input = JSON.parse(body || '{}') as { NextToken?: string; MaxRecords?: number };
        const start = Number(input.NextToken ?? 0);
        const size = input.MaxRecords ?? 50;
        if (start === 0) counts.set('CloudWatch DescribeAlarms (operations)', (counts.get('CloudWatch DescribeAlarms (operations)') ?? 0) + 1);
        const page = alarms.slice(start, start + size);
        const next = start + size < alarms.length ? { NextToken: String(start + size) } : {};
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        return res.end(JSON.stringify({ MetricAlarms: page, CompositeAlarms: [], ...next }));
      }
      if (body.includes('Action=GetCallerIdentity')) {
        counts.set('STS GetCallerIdentity', (counts.get('STS GetCallerIdentity') ?? 0) + 1);
        res.writeHead(200, { 'content-type': 'text/xml' });
        return res.end(
          '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:role/gatehouse-portal</Arn><UserId>AROABENCH:gatehouse</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>bench</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
        );
      }
      counts.set(`other ${target || req.url}`, (counts.get(`other ${target || req.url}`) ?? 0) + 1);
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: 'InvalidAction', message: 'not simulated' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

interface Figures {
  p50: number;
  p95: number;
  p99: number;
  rps: number;
  requests: number;
  errors: number;
  /** What the errors were: HTTP status codes other than 200, timeouts, connection errors. */
  errorKinds: string;
}

async function measure(url: string, cookie: string, seconds: number): Promise<Figures> {
  const times: number[] = [];
  const statuses = new Map<number, number>();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections: CONNECTIONS, duration: seconds, headers: { cookie } }, (err, res) => (err ? reject(err) : resolve(res)));
    instance.on('response', (_client, status, _bytes, ms) => {
      times.push(ms);
      if (status !== 200) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
  });
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN;
  const bad = [...statuses.values()].reduce((x, y) => x + y, 0);
  const kinds = [
    ...[...statuses.entries()].map(([s, n]) => `${n}× HTTP ${s}`),
    result.timeouts ? `${result.timeouts} timeouts` : '',
    result.errors - result.timeouts > 0 ? `${result.errors - result.timeouts} connection errors` : '',
  ].filter(Boolean);
  return {
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    rps: result.requests.average,
    requests: times.length,
    errors: bad + result.errors,
    errorKinds: kinds.join(', '),
  };
}

/** Polls the overview once a second and keeps every distinct fetchedAt it reports (= fetches that reached the cache). */
function watchFetches(cookie: string) {
  const seen = new Set<string>();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      try {
        const body = (await (await fetch(`${base}/api/v1/alarms?state=ALARM`, { headers: { cookie } })).json()) as { sources?: { fetchedAt: string | null }[] };
        for (const s of body.sources ?? []) if (s.fetchedAt) seen.add(s.fetchedAt);
      } catch {
        // counted by autocannon
      }
      await new Promise((r) => setTimeout(r, 1_000));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return [...seen].sort();
    },
  };
}

function report(label: string, ping: Figures, overview: Figures, fetchedAts: string[], calls: [string, number][], total: number) {
  const f = (n: number) => n.toFixed(1).padStart(8);
  console.log(`\n## ${label}: ${total} alarms, ${CONNECTIONS} connections, ${DURATION} s`);
  console.log(
    'endpoint'.padEnd(26),
    'p50 ms'.padStart(8),
    'p95 ms'.padStart(8),
    'p99 ms'.padStart(8),
    'req/s'.padStart(8),
    'requests'.padStart(9),
    'errors'.padStart(7),
  );
  console.log(
    '/api/ping (constant)'.padEnd(26),
    f(ping.p50),
    f(ping.p95),
    f(ping.p99),
    ping.rps.toFixed(0).padStart(8),
    String(ping.requests).padStart(9),
    String(ping.errors).padStart(7),
  );
  console.log(
    '/api/v1/alarms'.padEnd(26),
    f(overview.p50),
    f(overview.p95),
    f(overview.p99),
    overview.rps.toFixed(0).padStart(8),
    String(overview.requests).padStart(9),
    String(overview.errors).padStart(7),
  );
  for (const [name, x] of [
    ['ping', ping],
    ['overview', overview],
  ] as const)
    if (x.errorKinds) console.log(`${name} errors: ${x.errorKinds}`);
  const allowed = Math.floor(DURATION / 30) + 1;
  console.log(
    `distinct fetchedAt seen by the overview during the run: ${fetchedAts.length} (allowed: at most ${allowed} in ${DURATION} s) ${fetchedAts.join(', ')}`,
  );
  for (const [name, n] of calls) console.log(`${name}: ${n}`);
}

async function run(mode: 'sandbox' | 'aws') {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-alarms-bench-'));
  const fake = mode === 'aws' ? await fakeAws() : null;
  const env: Record<string, string> =
    mode === 'sandbox'
      ? { GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_CLOUD: 'sandbox', GATEHOUSE_SANDBOX_EXTRA_ALARMS: '455' }
      : {
          GATEHOUSE_DATA_DIR: dataDir,
          GATEHOUSE_CLOUD: 'aws',
          AWS_ENDPOINT_URL: fake!.url,
          AWS_ACCESS_KEY_ID: 'AKIDBENCH',
          AWS_SECRET_ACCESS_KEY: 'bench',
          AWS_MAX_ATTEMPTS: '2',
          GATEHOUSE_AUDIT_CHECKPOINT_KEY: 'bench-only-audit-checkpoint-key-0123456789',
          GATEHOUSE_AUDIT_CHECKPOINTS: 'file',
        };
  const child = await startServer(env);
  let ping: Figures;
  let overview: Figures;
  let fetchedAts: string[];
  let total = 0;
  try {
    const token = await encode({ token: { uid: 'usr_priya_raman', sub: 'usr_priya_raman', sid: randomUUID() }, secret: SECRET, maxAge: 3600 });
    const cookie = `next-auth.session-token=${token}`;
    const first = await fetch(`${base}/api/v1/alarms`, { headers: { cookie } });
    if (!first.ok) throw new Error(`overview answered ${first.status}: ${await first.text()}`);
    total = ((await first.json()) as { total: number }).total;
    ping = await measure(`${base}/api/ping`, cookie, 10);
    const watcher = watchFetches(cookie);
    const before = new Map(fake?.counts ?? []);
    overview = await measure(`${base}/api/v1/alarms`, cookie, DURATION);
    fetchedAts = await watcher.stop();
    if (fake) {
      const during = [...fake.counts.entries()].map(([k, v]): [string, number] => [`${k} during the run`, v - (before.get(k) ?? 0)]);
      report(
        mode,
        ping,
        overview,
        fetchedAts,
        [...during, ...[...fake.counts.entries()].map(([k, v]): [string, number] => [`${k} in all (warm-up and health checks included)`, v])],
        total,
      );
    }
  } finally {
    await stopServer(child);
    await fake?.close();
  }
  if (mode === 'sandbox') {
    // The cache row's version counts every DescribeAlarms that reached the store (one per fetch).
    const lite = new PGlite(path.join(dataDir, 'pglite'));
    const rows = (await lite.query<{ key: string; version: number }>("SELECT key, version FROM alarm_cache WHERE key LIKE 'alarms:%'")).rows;
    await lite.close();
    report(
      mode,
      ping!,
      overview!,
      fetchedAts!,
      rows.map((r): [string, number] => [`sandbox DescribeAlarms stored for ${r.key} (warm-up included)`, r.version]),
      total,
    );
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
}

async function main() {
  if (!fs.existsSync(path.join(root, '.next', 'BUILD_ID'))) throw new Error('Run `npm run build` first.');
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
  console.log(`Gatehouse alarm overview benchmark: ${CONNECTIONS} connections, ${DURATION} s per run, ${os.cpus().length} cores, port ${PORT}`);
  for (const mode of ['sandbox', 'aws'] as const) if (!only || only === mode) await run(mode);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
