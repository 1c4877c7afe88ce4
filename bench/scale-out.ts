/**
 * Scale-out proof (production-shape issue): two `next start` replicas on one PostgreSQL.
 *
 *   npx next build && npm run bench:scale            # 200 grants per round
 *   npm run bench:scale -- --requests 50             # a shorter run
 *
 * Round 1: N requests created and approved through both replicas at random; every grant applied;
 * then all moved (POST /api/v1/grants/:id/shorten) to expire at the same second: a burst of expiries
 * that both replicas' lifecycle jobs race for. Round 2: the same, and one replica is SIGKILLed in the
 * middle of the burst; the other must finish the work (after the dead one's 60 s leases lapse).
 *
 * Invariants (exit 1 when one fails): every grant ACTIVE then ENDED (EXPIRED); per grant exactly one
 * grant.created / applied / shortened / expired / removed audit event and per request exactly one
 * request.created / approval / approved; the sandbox IAM calls counted per policy
 * (GATEHOUSE_SANDBOX_COUNT_CALLS): ensurePolicy 2 (apply + shorten), attach 1, detach 1, delete 1
 * (round 2: at most the grants the killed replica had in hand repeat a detach/delete, which are
 * idempotent); no policy or attachment left; the audit hash chain verifies and its seq is gapless.
 */
import type pg from 'pg';
import {
  api,
  BENCH_SECRET,
  Checks,
  createPgDatabase,
  log,
  numberArg,
  pool,
  requireBuild,
  runBench,
  scanForSecrets,
  sessionCookie,
  sleep,
  startServer,
  tail,
  USERS,
  waitFor,
  type Server,
} from './support';

const N = numberArg('requests', 200);
const CONCURRENCY = 16;
const PORTS = [3300, 3301] as const;
const JOB_SECONDS = 2;
/** The grant engine's lease (lib/grants/service.ts): a killed replica's grants wait this long. */
const LEASE_S = 60;

// Engineers with a sandbox IAM user, each asking for a DEV secret of their own team (one approval).
const ASKERS = [
  { user: USERS.minji, secretId: 'sec_dev_payments_stripe_api_key' },
  { user: USERS.jaewon, secretId: 'sec_dev_payments_stripe_api_key' },
  { user: USERS.daniel, secretId: 'sec_dev_data_warehouse_readonly' },
];
const APPROVERS = [USERS.seoyeon, USERS.lucas];

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

interface Round {
  requestIds: string[];
  grantIds: string[];
}

async function cookies() {
  const all = [...new Set([...ASKERS.map((a) => a.user), ...APPROVERS])];
  return Object.fromEntries(await Promise.all(all.map(async (u) => [u, await sessionCookie(u)] as const))) as Record<string, string>;
}

/** Creates and approves N requests, each call through a random live replica. */
async function createAndApprove(replicas: Server[], jar: Record<string, string>, label: string): Promise<Round> {
  const t0 = performance.now();
  const latencies: number[] = [];
  const requestIds = await pool(
    Array.from({ length: N }, (_, i) => i),
    CONCURRENCY,
    async (i) => {
      const asker = ASKERS[i % ASKERS.length]!;
      const created = await api(pick(replicas).base, jar[asker.user]!, 'POST', '/api/v1/requests', {
        type: 'SECRET_READ',
        secretId: asker.secretId,
        justification: `Scale-out ${label} request ${i}`,
        durationMinutes: 60,
      });
      if (created.status !== 201) throw new Error(`create ${i}: ${created.status} ${JSON.stringify(created.body)}`);
      const id = (created.body.request as { id: string }).id;
      const approved = await api(pick(replicas).base, jar[pick(APPROVERS)]!, 'POST', `/api/v1/requests/${id}/approve`, { comment: 'ok' });
      if (approved.status !== 200 || approved.body.status !== 'APPROVED') throw new Error(`approve ${id}: ${approved.status} ${JSON.stringify(approved.body)}`);
      latencies.push(created.ms, approved.ms);
      return id;
    },
  );
  log(
    `${label}: ${N} requests created and approved in ${((performance.now() - t0) / 1000).toFixed(1)} s (through ${replicas.map((r) => r.port).join(' and ')})`,
  );
  return { requestIds, grantIds: [] };
}

async function grantStatuses(sql: pg.Pool, requestIds: string[]) {
  const { rows } = await sql.query<{ status: string; n: string }>('SELECT status, count(*) AS n FROM grants WHERE request_id = ANY($1) GROUP BY status', [
    requestIds,
  ]);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Record<string, number>;
}

async function waitAllActive(sql: pg.Pool, round: Round, label: string, c: Checks) {
  const t0 = Date.now();
  const ok = await waitFor(async () => (await grantStatuses(sql, round.requestIds)).ACTIVE === N, 120_000);
  const statuses = await grantStatuses(sql, round.requestIds);
  c.check(ok, `${label}: all ${N} grants ACTIVE`, statuses);
  const { rows } = await sql.query<{ id: string }>('SELECT id FROM grants WHERE request_id = ANY($1) ORDER BY id', [round.requestIds]);
  round.grantIds = rows.map((r) => r.id);
  const lat = await sql.query<{ p50: number; p95: number; max: number }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY ms) AS p95, max(ms) AS max
       FROM (SELECT extract(epoch FROM g.applied_at - r.decided_at) * 1000 AS ms FROM grants g JOIN access_requests r ON r.id = g.request_id WHERE g.request_id = ANY($1)) t`,
    [round.requestIds],
  );
  const l = lat.rows[0]!;
  log(
    `${label}: all ACTIVE after ${((Date.now() - t0) / 1000).toFixed(1)} s; approval -> applied p50 ${Math.round(l.p50)} ms, p95 ${Math.round(l.p95)} ms, max ${Math.round(l.max)} ms`,
  );
}

/** Moves every grant's end to one whole second `leadS` ahead; returns it. */
async function shortenAll(replicas: Server[], jar: Record<string, string>, sql: pg.Pool, round: Round, leadS: number, label: string): Promise<Date> {
  const at = new Date(Math.ceil((Date.now() + leadS * 1000) / 1000) * 1000);
  const owners = await sql.query<{ id: string; requester_id: string }>(
    'SELECT g.id, r.requester_id FROM grants g JOIN access_requests r ON r.id = g.request_id WHERE g.id = ANY($1)',
    [round.grantIds],
  );
  await pool(owners.rows, CONCURRENCY, async (g) => {
    // Half by the holder, half by security: both may shorten.
    const who = Math.random() < 0.5 ? g.requester_id : pick(APPROVERS);
    const res = await api(pick(replicas).base, jar[who]!, 'POST', `/api/v1/grants/${g.id}/shorten`, { endsAt: at.toISOString(), comment: 'burst' });
    if (res.status !== 200 || res.body.appliedInAws !== true) throw new Error(`shorten ${g.id}: ${res.status} ${JSON.stringify(res.body)}`);
  });
  log(`${label}: ${round.grantIds.length} grants now end at ${at.toISOString()} (in ${((at.getTime() - Date.now()) / 1000).toFixed(1)} s)`);
  return at;
}

async function endedCount(sql: pg.Pool, round: Round) {
  return (await grantStatuses(sql, round.requestIds)).ENDED ?? 0;
}

async function verify(
  sql: pg.Pool,
  verifier: Server,
  jar: Record<string, string>,
  round: Round,
  label: string,
  c: Checks,
  { maxRepeatedRemovals }: { maxRepeatedRemovals: number },
) {
  const statuses = await grantStatuses(sql, round.requestIds);
  c.check(statuses.ENDED === N, `${label}: all ${N} grants ENDED`, statuses);
  const reasons = await sql.query<{ end_reason: string; n: string }>('SELECT end_reason, count(*) AS n FROM grants WHERE id = ANY($1) GROUP BY end_reason', [
    round.grantIds,
  ]);
  c.check(reasons.rows.length === 1 && reasons.rows[0]!.end_reason === 'EXPIRED', `${label}: every grant ended as EXPIRED`, reasons.rows);
  const req = await sql.query<{ status: string; n: string }>('SELECT status, count(*) AS n FROM access_requests WHERE id = ANY($1) GROUP BY status', [
    round.requestIds,
  ]);
  c.check(req.rows.length === 1 && req.rows[0]!.status === 'ENDED', `${label}: every request ENDED`, req.rows);

  // Audit: exactly one event of each kind per grant and per request.
  const expectOnce = async (targets: string[], actions: string[]) => {
    const { rows } = await sql.query<{ target_id: string; action: string; n: string }>(
      `SELECT t.id AS target_id, a.action, count(e.seq) AS n
         FROM unnest($1::text[]) AS t(id) CROSS JOIN unnest($2::text[]) AS a(action)
         LEFT JOIN audit_events e ON e.target_id = t.id AND e.action = a.action
        GROUP BY t.id, a.action`,
      [targets, actions],
    );
    for (const action of actions) {
      const counts = rows.filter((r) => r.action === action).map((r) => Number(r.n));
      const bad = counts.filter((n) => n !== 1).length;
      c.check(bad === 0, `${label}: ${action} exactly once for each of ${targets.length}`, {
        missing: counts.filter((n) => n === 0).length,
        duplicated: counts.filter((n) => n > 1).length,
      });
    }
  };
  await expectOnce(round.requestIds, ['request.created', 'request.approval', 'request.approved']);
  await expectOnce(round.grantIds, ['grant.created', 'grant.applied', 'grant.shortened', 'grant.expired', 'grant.removed']);
  const failed = await sql.query<{ n: string }>(`SELECT count(*) AS n FROM audit_events WHERE target_id = ANY($1) AND action = 'grant.failed'`, [
    round.grantIds,
  ]);
  c.check(Number(failed.rows[0]!.n) === 0, `${label}: no grant.failed event`, failed.rows[0]);

  // The sandbox IAM calls per policy (each grant owns one policy, named after it).
  const calls = await sql.query<{ grant_id: string; op: string; n: string }>(
    `SELECT substring(data->>'target' from 'gatehouse-grant-(.*)$') AS grant_id, data->>'op' AS op, count(*) AS n
       FROM sandbox_objects WHERE service = 'sandbox' AND kind = 'call' GROUP BY 1, 2`,
  );
  const count = new Map(calls.rows.map((r) => [`${r.grant_id} ${r.op}`, Number(r.n)]));
  const expected = { ensurePolicy: 2, attachPolicy: 1, detachPolicy: 1, deletePolicy: 1 };
  const pids = await sql.query<{ pid: string; n: string }>(
    `SELECT data->>'pid' AS pid, count(*) AS n FROM sandbox_objects WHERE service = 'sandbox' AND kind = 'call' AND substring(data->>'target' from 'gatehouse-grant-(.*)$') = ANY($1) GROUP BY 1`,
    [round.grantIds],
  );
  log(`${label}: IAM calls by server process: ${pids.rows.map((r) => `pid ${r.pid}: ${r.n}`).join(', ')}`);
  const repeated = new Set<string>();
  for (const [op, want] of Object.entries(expected)) {
    const got = round.grantIds.map((id) => count.get(`${id} ${op}`) ?? 0);
    const missing = got.filter((n) => n < want).length;
    const extra = round.grantIds.filter((id) => (count.get(`${id} ${op}`) ?? 0) > want);
    extra.forEach((id) => repeated.add(id));
    const allowed = op === 'detachPolicy' || op === 'deletePolicy' ? maxRepeatedRemovals : 0;
    c.check(
      missing === 0 && extra.length <= allowed,
      `${label}: sandbox ${op} called ${want}x per grant${allowed ? ` (up to ${allowed} in-flight grants may repeat)` : ''}`,
      { missing, repeated: extra.length },
    );
  }
  if (repeated.size) log(`${label}: grants whose removal was repeated after the kill (idempotent): ${[...repeated].join(', ')}`);
  const left = await sql.query<{ kind: string; n: string }>(
    `SELECT kind, count(*) AS n FROM sandbox_objects WHERE service = 'iam' AND kind IN ('policy', 'attachment') AND substring(key from 'gatehouse-grant-([A-Za-z0-9_]+)') = ANY($1) GROUP BY kind`,
    [round.grantIds],
  );
  c.check(left.rows.length === 0, `${label}: no policy or attachment of these grants left in the sandbox account`, left.rows);

  // The hash chain, recomputed by the portal, and gapless.
  const chain = await api(verifier.base, jar[USERS.seoyeon]!, 'GET', '/api/v1/audit/verify', undefined, 120_000);
  c.check(chain.status === 200 && chain.body.ok === true, `${label}: audit hash chain verifies (${String(chain.body.checked)} events)`, chain.body);
  const gaps = await sql.query<{ n: string; max: number }>('SELECT count(*) AS n, max(seq) AS max FROM audit_events');
  c.check(Number(gaps.rows[0]!.n) === Number(gaps.rows[0]!.max), `${label}: audit seq is gapless`, gaps.rows[0]);
}

async function main(): Promise<boolean> {
  requireBuild();
  const c = new Checks();
  const db = await createPgDatabase('gatehouse_scale');
  log(`PostgreSQL database ${db.name}; ${N} grants per round; replicas on ${PORTS.join(', ')}; job every ${JOB_SECONDS} s`);
  const env = () => ({ DATABASE_URL: db.url, GATEHOUSE_SEED: 'true', GATEHOUSE_SANDBOX_COUNT_CALLS: 'true', GATEHOUSE_GRANT_JOB_SECONDS: String(JOB_SECONDS) });
  // Both start at once: migrations (advisory lock) and the seed must tolerate a concurrent replica.
  const stamp = Date.now().toString(36);
  const [a, b] = await Promise.all(PORTS.map((port, i) => startServer(`scale-${stamp}-${'ab'[i]}`, port, env())));
  log(`replicas up: ${a!.base} (pid ${a!.child.pid}), ${b!.base} (pid ${b!.child.pid})`);
  const replicas = [a!, b!];
  const jar = await cookies();

  // Round 1: both replicas throughout.
  const r1 = await createAndApprove(replicas, jar, 'round 1');
  await waitAllActive(db.sql, r1, 'round 1', c);
  if (!c.ok) return false;
  const at1 = await shortenAll(replicas, jar, db.sql, r1, Math.max(20, N / 8), 'round 1');
  await sleep(Math.max(0, at1.getTime() - Date.now()));
  const drained1 = await waitFor(async () => (await endedCount(db.sql, r1)) === N, 120_000, 100);
  log(`round 1: burst of ${N} expiries drained ${((Date.now() - at1.getTime()) / 1000).toFixed(1)} s after the due second${drained1 ? '' : ' (NOT all)'}`);
  await verify(db.sql, a!, jar, r1, 'round 1', c, { maxRepeatedRemovals: 0 });

  // Round 2: kill one replica in the middle of the burst.
  const r2 = await createAndApprove(replicas, jar, 'round 2');
  await waitAllActive(db.sql, r2, 'round 2', c);
  if (!c.ok) return false;
  const at2 = await shortenAll(replicas, jar, db.sql, r2, Math.max(20, N / 8), 'round 2');
  await sleep(Math.max(0, at2.getTime() - Date.now()));
  const killAt = Math.max(1, Math.floor(N / 4));
  await waitFor(async () => (await endedCount(db.sql, r2)) >= killAt, 60_000, 20);
  // Then catch b holding a grant: freeze it, let a finish whatever it has in hand, and look for a
  // grant still under a lease (b's: a frozen process cannot release it). Thaw and retry if none.
  const leasedNow = async () =>
    (
      await db.sql.query<{ id: string; status: string; lease_until: Date }>(
        "SELECT id, status, lease_until FROM grants WHERE id = ANY($1) AND status <> 'ENDED' AND lease_until > (now() AT TIME ZONE 'UTC')",
        [r2.grantIds],
      )
    ).rows;
  let held: { id: string; status: string }[] = [];
  for (let attempt = 1; attempt <= 40 && held.length === 0; attempt++) {
    b!.freeze();
    await sleep(750);
    const first = await leasedNow();
    await sleep(1_500);
    const second = await leasedNow();
    held = second.filter((g) => first.some((f) => f.id === g.id && f.lease_until.getTime() === g.lease_until.getTime()));
    if (held.length === 0) {
      b!.thaw();
      await sleep(50 + Math.random() * 250);
    }
  }
  const before = await grantStatuses(db.sql, r2.requestIds);
  await b!.kill();
  log(
    `round 2: replica b (pid ${b!.child.pid}) SIGKILLed ${((Date.now() - at2.getTime()) / 1000).toFixed(1)} s into the burst; grants then: ${JSON.stringify(before)}; ` +
      (held.length ? `b died holding the lease of ${held.map((g) => `${g.id} (${g.status})`).join(', ')}` : 'b was not caught holding a lease'),
  );
  // A grant of a's that merely waited on a lock b held finishes within seconds of the kill; b's
  // stay leased until their lease lapses.
  await sleep(10_000);
  const stillHeld = (await leasedNow()).filter((g) => held.some((h) => h.id === g.id));
  c.check(stillHeld.length > 0, `round 2: the kill left work under the dead replica's lease (${stillHeld.length} grant(s) still leased 10 s later)`, held);
  const drained2 = await waitFor(async () => (await endedCount(db.sql, r2)) === N, (LEASE_S + 90) * 1000, 250);
  log(
    `round 2: replica a finished the burst ${((Date.now() - at2.getTime()) / 1000).toFixed(1)} s after the due second${drained2 ? '' : ' (NOT all)'} (a dead replica's leases lapse after ${LEASE_S} s)`,
  );
  await verify(db.sql, a!, jar, r2, 'round 2', c, { maxRepeatedRemovals: 3 });
  const errors = tail(a!.logFile, 400)
    .split('\n')
    .filter((l) => /\[http\] unexpected error|\[jobs\] .* failed|\[grants\] immediate apply failed/.test(l));
  c.check(errors.length === 0, 'replica a logged no unexpected error', errors.slice(0, 5));
  if (!c.ok) console.log(`--- last lines of ${a!.logFile}:\n${tail(a!.logFile)}`);
  await scanForSecrets(c, 'scale-out', {
    paths: [a!.logFile, b!.logFile],
    pg: [db.url],
    literals: [BENCH_SECRET, decodeURIComponent(new URL(db.url).password)],
  });
  log(`server logs: ${a!.logFile}, ${b!.logFile}`);
  return c.ok;
}

runBench('scale-out', 20 * 60_000, main);
