/**
 * The framework's floor for issue 20's page and probe targets: what a bare Next.js App Router app,
 * built with our node_modules and served by `next start` with our server flags, does on this
 * machine under the same load as bench/requests-bench.ts (50 clients, autocannon; the same probe).
 *
 *   npm run bench:floor                      # BENCH_SECONDS per URL (10), BENCH_WARMUP_SECONDS (3)
 *
 * The app: a route handler that returns constant JSON (/api/ping, as ours), a dynamic page that
 * says Hello (/hello), and a dynamic page with a 50-row, 6-column table and no data source (/rows:
 * what a list page renders, without a database, a session, a layout or a message catalog). Nothing
 * of ours is in it, so no page of ours can do better than /rows does here, relative to /api/ping,
 * and no probe of ours can answer faster than it does here while pages are loaded. A measurement,
 * not a test (docs/decisions/056-performance-targets.md).
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { buildBareApp, nextVersion } from '../scripts/bare-next-app.mjs';
import { SERVER_NODE_FLAGS } from '../scripts/server-flags.mjs';
import { CONNECTIONS, PROBE_EVERY_MS, loadAverage, measure, measureMixed, printFigures, type Figures } from './http-load';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const LOAD = { connections: CONNECTIONS, seconds: DURATION, warmupSeconds: WARMUP };
const PORT = Number(process.env.BENCH_PORT ?? 3295);
const COOKIE = 'bench=1';

/** The bare app's routes and pages (scripts/bare-next-app.mjs adds package.json, tsconfig and the layout). */
const files: Record<string, string> = {
  'app/api/ping/route.ts': `export const dynamic = 'force-dynamic';
export function GET() {
  return Response.json({ ok: true }, { headers: { 'cache-control': 'no-store' } });
}
`,
  'app/hello/page.tsx': `import { connection } from 'next/server';
export default async function Page() {
  await connection();
  return <p>Hello</p>;
}
`,
  'app/rows/page.tsx': `import { connection } from 'next/server';
const STATUS = ['PENDING', 'APPROVED', 'REJECTED', 'EXPIRED'];
const ENV = ['dev', 'staging', 'prod'];
export default async function Page() {
  await connection();
  const now = Date.now();
  const rows = Array.from({ length: 50 }, (_, i) => ({
    id: 'req_' + (now - i * 60_000).toString(36) + '_' + i,
    requester: 'engineer' + (i % 17) + '@example.com',
    target: 'secret/team-' + (i % 9) + '/service-' + i,
    environment: ENV[i % 3],
    status: STATUS[i % 4],
    at: new Date(now - i * 60_000).toISOString(),
  }));
  return (
    <main>
      <h1>Requests</h1>
      <table>
        <thead>
          <tr><th>Request</th><th>Requester</th><th>Target</th><th>Environment</th><th>Status</th><th>Created</th></tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td><a href={'/requests/' + r.id}>{r.id}</a></td>
              <td>{r.requester}</td>
              <td>{r.target}</td>
              <td>{r.environment}</td>
              <td>{r.status}</td>
              <td><time dateTime={r.at}>{r.at}</time></td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
`,
};

async function main() {
  let server: ReturnType<typeof spawn> | undefined;
  /** The bare app's server and its children: its own process group. */
  const stopServer = () => {
    if (!server?.pid || server.exitCode !== null || server.signalCode !== null) return;
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const { dir, next, remove } = buildBareApp(files);
  try {
    // Something already answering on the port would be measured instead of the bare app.
    const taken = await fetch(`http://127.0.0.1:${PORT}/api/ping`).then(
      () => true,
      () => false,
    );
    if (taken) throw new Error(`port ${PORT} already answers: stop what runs there (or set BENCH_PORT)`);
    // Ctrl-C or a kill: the bare app's server (its own process group) goes too.
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.once(signal, () => {
        stopServer();
        remove();
        process.exit(130);
      });
    server = spawn(process.execPath, [...SERVER_NODE_FLAGS, next, 'start', '-p', String(PORT), '-H', '127.0.0.1'], {
      cwd: dir,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
      stdio: ['ignore', 'ignore', 'inherit'],
      detached: true,
    });
    const base = `http://127.0.0.1:${PORT}`;
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        if ((await fetch(`${base}/api/ping`)).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline || server.exitCode !== null || server.signalCode !== null) throw new Error('the bare app did not start');
      await new Promise((r) => setTimeout(r, 300));
    }
    console.log(`Framework floor: a bare Next.js ${nextVersion()} app, ${CONNECTIONS} connections, ${DURATION} s per URL, ${os.cpus().length} cores`);
    console.log(`load average at the start: ${loadAverage()}`);
    const figures: Figures[] = [];
    for (const [name, p] of [
      ['constant JSON (/api/ping)', '/api/ping'],
      ['page: Hello (/hello)', '/hello'],
      ['page: 50-row table (/rows)', '/rows'],
      ['constant JSON, again', '/api/ping'],
    ] as const)
      figures.push(await measure(name, base + p, COOKIE, LOAD));
    const bare = (figures[0]!.rps + figures.at(-1)!.rps) / 2;
    printFigures(figures, bare, 'url');
    const pagesLoaded = await measureMixed(base, ['/rows'], COOKIE, LOAD);
    const control = await measureMixed(base, ['/api/ping'], COOKIE, LOAD);
    const probeLine = (m: typeof control) =>
      `${m.listRps.toFixed(0)} req/s; /api/ping meanwhile (one request every ${PROBE_EVERY_MS} ms, ${m.pingCount} requests): p50 ${m.pingP50.toFixed(1)} ms, p99 ${m.pingP99.toFixed(1)} ms, max ${m.pingMax.toFixed(1)} ms, ${m.pingFailures} failed`;
    console.log(`${CONNECTIONS} clients on /rows: ${probeLine(pagesLoaded)}`);
    console.log(`${CONNECTIONS} clients on /api/ping: ${probeLine(control)}`);
    console.log(`load average at the end: ${loadAverage()}`);
    const rows = figures[2]!;
    console.log(
      `\nFloor: the bare 50-row page serves ${((100 * rows.rps) / bare).toFixed(0)} % of the bare constant route (issue 20 asks our request and approvals pages for 50 %);` +
        ` the probe's p99 while it is loaded is ${pagesLoaded.pingP99.toFixed(0)} ms (issue 20 asks < 50 ms while our lists are loaded).`,
    );
  } finally {
    stopServer();
    remove();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
