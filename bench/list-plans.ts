/**
 * Where a list statement's time goes in PostgreSQL: planning against execution, as sent today
 * (unnamed, planned on every call) and as a named prepared statement, for the six list calls of
 * `npm run bench -- --pg`; then the wall-clock time of one call through Prisma's $queryRaw and
 * through the prepared path (docs/decisions/055-list-statements-prepared.md).
 *
 *   node --conditions=react-server --import tsx bench/list-plans.ts postgres://…/gatehouse_bench
 *
 * Needs a database seeded by the list benchmark: the `gatehouse_bench` it leaves behind, or a copy
 * (`CREATE DATABASE gatehouse_plans TEMPLATE gatehouse_bench`), which the next bench run does not drop.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { auditFilterSchema } from '../lib/audit/schemas';
import { listRequestsSchema } from '../lib/access/schemas';
import { openDatabase } from '../lib/server/db/database';
import type { Prisma } from '../lib/server/db/generated/client';
import { auditPageStatement } from '../lib/server/db/repositories/audit';
import { requestsPageStatement } from '../lib/server/db/repositories/requests-read';

const RUNS = Number(process.env.PLAN_RUNS ?? 30);
const url = process.argv[2] ?? '';
if (!url) throw new Error('usage: list-plans.ts <postgres url of a seeded bench database>');

const toParameter = (v: unknown) => (v instanceof Date ? v.toISOString() : v);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // The bench's deep cursors: the seeded request 90,000 (20 s apart, newest first) and audit seq EVENTS/10.
  const { rows } = await client.query<{ at: Date; id: string }>(`SELECT created_at AS at, id FROM access_requests WHERE id = 'bench_90000'`);
  const deepRequest = rows[0] ? `${rows[0].at.getTime()}_bench_90000` : undefined;
  const { rows: events } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events');
  const statements: [string, Prisma.Sql][] = [
    ['requests, first page', requestsPageStatement(listRequestsSchema.parse({ scope: 'all', limit: 25 }), null)],
    ['requests, deep cursor', requestsPageStatement(listRequestsSchema.parse({ scope: 'all', limit: 25, cursor: deepRequest }), null)],
    ['requests, filtered', requestsPageStatement(listRequestsSchema.parse({ scope: 'all', status: 'APPROVED', environment: 'PROD', limit: 25 }), null)],
    ['audit, first page', auditPageStatement(auditFilterSchema.parse({ limit: 50 }))],
    ['audit, deep cursor', auditPageStatement(auditFilterSchema.parse({ limit: 50, cursor: Math.floor(events[0]!.n / 10) }))],
    ['audit, filtered', auditPageStatement(auditFilterSchema.parse({ limit: 50, action: 'request.approved', environment: 'PROD' }))],
  ];

  console.log(`EXPLAIN (ANALYZE, BUFFERS), median of ${RUNS} runs each, ms`);
  console.log(`${'statement'.padEnd(24)} ${'unnamed: plan'.padStart(14)} ${'exec'.padStart(6)}   ${'prepared: plan'.padStart(15)} ${'exec'.padStart(6)}  plan`);
  for (const [name, sql] of statements) {
    const values = sql.values.map(toParameter);
    const times = (plan: string[]) => {
      const grab = (label: string) => Number(/(\d+\.\d+) ms/.exec(plan.find((l) => l.startsWith(label)) ?? '')?.[1] ?? NaN);
      return { planning: grab('Planning Time'), execution: grab('Execution Time') };
    };
    const explain = async (text: string, params: unknown[]) =>
      times((await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, params)).rows.map((r) => r['QUERY PLAN']));
    const unnamed = [];
    for (let i = 0; i < RUNS; i++) unnamed.push(await explain(sql.text, values));
    // The same statement prepared once on this connection; PostgreSQL may switch to a generic plan
    // after five executions, which it then does not plan again.
    await client.query('DEALLOCATE ALL');
    await client.query(`PREPARE list_plan AS ${sql.text}`);
    // EXECUTE takes its arguments as literals (node-postgres hangs on EXPLAIN EXECUTE with parameters).
    const args = values.map((v) => client.escapeLiteral(String(v))).join(', ');
    const prepared = [];
    for (let i = 0; i < RUNS; i++) prepared.push(await explain(`EXECUTE list_plan${args ? `(${args})` : ''}`, []));
    const { rows: kind } = await client.query<{ generic_plans: string; custom_plans: string }>(
      `SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = 'list_plan'`,
    );
    const m = (xs: { planning: number; execution: number }[], k: 'planning' | 'execution') => median(xs.map((x) => x[k])).toFixed(3);
    console.log(
      `${name.padEnd(24)} ${m(unnamed, 'planning').padStart(14)} ${m(unnamed, 'execution').padStart(6)}   ${m(prepared.slice(10), 'planning').padStart(15)} ${m(prepared.slice(10), 'execution').padStart(6)}  ${kind[0]!.generic_plans} generic / ${kind[0]!.custom_plans} custom`,
    );
  }
  await client.end();

  // One call at a time, end to end in this process: Prisma's $queryRaw, node-postgres unnamed (as
  // Prisma's adapter sends it, without Prisma), and the prepared path.
  const db = openDatabase({ url });
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  console.log(`\nOne call at a time (median of ${RUNS * 10} calls after ${RUNS} warm-up calls), ms`);
  console.log(`${'statement'.padEnd(24)} ${'$queryRaw'.padStart(10)} ${'unnamed'.padStart(10)} ${'prepared'.padStart(10)}`);
  for (const [name, sql] of statements) {
    const timed = async (call: () => Promise<unknown>) => {
      for (let i = 0; i < RUNS; i++) await call();
      const xs = [];
      for (let i = 0; i < RUNS * 10; i++) {
        const t = performance.now();
        await call();
        xs.push(performance.now() - t);
      }
      return median(xs).toFixed(3);
    };
    const raw = await timed(() => db.prisma.$queryRaw(sql));
    const unnamed = await timed(() => pool.query(sql.text, sql.values.map(toParameter)));
    const prepared = await timed(() => db.queryReadOnly(sql));
    console.log(`${name.padEnd(24)} ${raw.padStart(10)} ${unnamed.padStart(10)} ${prepared.padStart(10)}`);
  }
  await pool.end();
  await db.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
