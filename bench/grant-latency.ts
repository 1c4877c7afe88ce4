/**
 * Grant latency (issue 20): from an approval sent to the grant's policy attached in AWS, on the
 * production build in aws mode against moto, on one replica and on two replicas sharing one
 * PostgreSQL database.
 *
 *   npx next build && npm run bench:grant-latency
 *   npm run bench:grant-latency -- --grants 50 --concurrency 8 --replicas 2 --strict
 *
 * Each of `--concurrency` clients (default 4) creates a dev secret-read request as an engineer and
 * approves it as security through a random replica, `--grants` times in all (default 100 per
 * setup). A poller lists the policies attached to the engineers' IAM users in moto every 25 ms and
 * stamps when each grant's policy first shows: that is "visible in AWS".
 *
 * Where the time goes, per grant: the approval's request path (the POST's round trip), the pickup
 * (from the decision committing to the grant engine leasing the grant: `grants.applied_at` minus
 * `access_requests.decided_at`) and the AWS work (from the lease to the policy visible: CreatePolicy,
 * the ARN recorded, AttachUserPolicy, the commit, plus up to one poll interval).
 *
 * Target (printed MET or MISSED; `--strict` exits 1 on MISSED): approval -> visible p95 < 1 s on
 * one replica and on two. Invariants (exit 1): every grant ACTIVE, visible in moto, applied once.
 *
 * Ports: replicas 3310 and 3311, moto 3314 (127.0.0.1 only).
 */
import { ListAttachedUserPoliciesCommand } from '@aws-sdk/client-iam';
import { BENCH_AWS_KEY, createMotoUsers, MOTO_USERS, motoIam, startMoto } from './moto';
import {
  api,
  arg,
  BENCH_SECRET,
  Checks,
  createPgDatabase,
  HOST,
  log,
  numberArg,
  percentile,
  pool,
  requireBuild,
  runBench,
  scanForSecrets,
  sessionCookie,
  sleep,
  startServer,
  USERS,
  type Server,
} from './support';

const GRANTS = numberArg('grants', 100);
const CONCURRENCY = numberArg('concurrency', 4);
const REPLICAS = (arg('replicas') ?? '1,2').split(',').map(Number);
const PORTS = [3310, 3311];
const MOTO_PORT = 3314;
const POLL_MS = 25;
const TARGET_P95_MS = 1000;

const ASKERS = [
  { user: USERS.minji, iamUser: 'minji.kim', secretId: 'sec_dev_payments_stripe_api_key' },
  { user: USERS.jaewon, iamUser: 'jaewon.choi', secretId: 'sec_dev_payments_stripe_api_key' },
  { user: USERS.daniel, iamUser: 'daniel.okafor', secretId: 'sec_dev_data_warehouse_readonly' },
];
const APPROVERS = [USERS.seoyeon, USERS.lucas];
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

interface Sample {
  requestId: string;
  grantId?: string;
  /** performance.timeOrigin-based epoch ms: when the approval POST was sent and answered. */
  sentAt: number;
  answeredAt: number;
  visibleAt?: number;
}

/** Stamps the first time each `gatehouse-grant-<id>` policy shows attached to one of the users. */
class AttachmentPoller {
  readonly firstSeen = new Map<string, number>();
  private running = true;
  private loop: Promise<void>;
  polls = 0;
  constructor(private readonly iam: ReturnType<typeof motoIam>) {
    this.loop = this.run();
  }
  private async run() {
    while (this.running) {
      const started = Date.now();
      await Promise.all(
        MOTO_USERS.map(async (UserName) => {
          const out = await this.iam.send(new ListAttachedUserPoliciesCommand({ UserName, MaxItems: 1000 }));
          const now = Date.now();
          for (const p of out.AttachedPolicies ?? []) {
            const id = p.PolicyName?.match(/^gatehouse-grant-(.+)$/)?.[1];
            if (id && !this.firstSeen.has(id)) this.firstSeen.set(id, now);
          }
        }),
      );
      this.polls++;
      await sleep(Math.max(0, POLL_MS - (Date.now() - started)));
    }
  }
  async stop() {
    this.running = false;
    await this.loop;
  }
}

const fmt = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${Math.round(percentile(s, 0.5))} ms, p95 ${Math.round(percentile(s, 0.95))} ms, max ${Math.round(s[s.length - 1] ?? NaN)} ms`;
};

async function runSetup(replicaCount: number, c: Checks): Promise<{ replicas: number; p95: number }> {
  const label = `${replicaCount} replica${replicaCount === 1 ? '' : 's'}`;
  console.log(`\n## ${label}: ${GRANTS} approvals, ${CONCURRENCY} at a time`);
  const db = await createPgDatabase(`gatehouse_grantlat_${replicaCount}`);
  const env = {
    DATABASE_URL: db.url,
    GATEHOUSE_SEED: 'true',
    GATEHOUSE_CLOUD: 'aws',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: `http://${HOST}:${MOTO_PORT}`,
    AWS_ACCESS_KEY_ID: BENCH_AWS_KEY.accessKeyId,
    AWS_SECRET_ACCESS_KEY: BENCH_AWS_KEY.secretAccessKey,
  };
  const servers: Server[] = [];
  // One after the other: the first applies the migrations and the seed.
  for (let i = 0; i < replicaCount; i++) servers.push(await startServer(`grantlat-${replicaCount}-${i}-${Date.now().toString(36)}`, PORTS[i]!, env));
  const jar = Object.fromEntries(
    await Promise.all([...ASKERS.map((a) => a.user), ...APPROVERS].map(async (u) => [u, await sessionCookie(u)] as const)),
  ) as Record<string, string>;

  // Warm-up: one grant per server (first calls compile routes and open connections).
  const poller = new AttachmentPoller(motoIam(MOTO_PORT));
  const samples: Sample[] = [];
  const once = async (i: number, server: Server, record: boolean) => {
    const asker = ASKERS[i % ASKERS.length]!;
    const created = await api(server.base, jar[asker.user]!, 'POST', '/api/v1/requests', {
      type: 'SECRET_READ',
      secretId: asker.secretId,
      justification: `Grant latency ${label} ${i}`,
      durationMinutes: 60,
    });
    if (created.status !== 201) throw new Error(`create ${i}: ${created.status} ${JSON.stringify(created.body)}`);
    const requestId = (created.body.request as { id: string }).id;
    const sentAt = performance.timeOrigin + performance.now();
    const approved = await api(server.base, jar[pick(APPROVERS)]!, 'POST', `/api/v1/requests/${requestId}/approve`, { comment: 'ok' });
    const answeredAt = performance.timeOrigin + performance.now();
    if (approved.status !== 200 || approved.body.status !== 'APPROVED')
      throw new Error(`approve ${requestId}: ${approved.status} ${JSON.stringify(approved.body)}`);
    if (record) samples.push({ requestId, sentAt, answeredAt });
  };
  for (const [i, s] of servers.entries()) await once(GRANTS + i, s, false);
  await sleep(1000);

  const t0 = Date.now();
  await pool(
    Array.from({ length: GRANTS }, (_, i) => i),
    CONCURRENCY,
    (i) => once(i, pick(servers), true),
  );
  const sent = (Date.now() - t0) / 1000;
  // Wait for every policy to show (or 60 s).
  const { rows: grantRows } = await db.sql.query<{ id: string; request_id: string }>('SELECT id, request_id FROM grants WHERE request_id = ANY($1)', [
    samples.map((s) => s.requestId),
  ]);
  const grantOf = new Map(grantRows.map((r) => [r.request_id, r.id]));
  for (const s of samples) s.grantId = grantOf.get(s.requestId);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && samples.some((s) => !s.grantId || !poller.firstSeen.has(s.grantId))) await sleep(100);
  await poller.stop();
  for (const s of samples) s.visibleAt = s.grantId ? poller.firstSeen.get(s.grantId) : undefined;
  log(`${label}: ${GRANTS} approvals sent in ${sent.toFixed(1)} s; moto polled ${poller.polls} times`);

  const { rows } = await db.sql.query<{ request_id: string; status: string; decided: Date; applied: Date | null }>(
    `SELECT g.request_id, g.status, r.decided_at AS decided, g.applied_at AS applied
       FROM grants g JOIN access_requests r ON r.id = g.request_id WHERE g.request_id = ANY($1)`,
    [samples.map((s) => s.requestId)],
  );
  const byRequest = new Map(rows.map((r) => [r.request_id, r]));
  c.check(rows.length === GRANTS && rows.every((r) => r.status === 'ACTIVE'), `${label}: all ${GRANTS} grants ACTIVE`, {
    grants: rows.length,
    notActive: rows.filter((r) => r.status !== 'ACTIVE').map((r) => r.status),
  });
  const invisible = samples.filter((s) => s.visibleAt === undefined).length;
  c.check(invisible === 0, `${label}: every grant's policy attached in moto`, { invisible });
  const applied = await db.sql.query<{ n: string; grants: string }>(
    `SELECT count(*) AS n, count(DISTINCT target_id) AS grants FROM audit_events WHERE action = 'grant.applied' AND target_id = ANY($1)`,
    [samples.map((s) => s.grantId)],
  );
  c.check(
    Number(applied.rows[0]!.n) === GRANTS && Number(applied.rows[0]!.grants) === GRANTS,
    `${label}: grant.applied exactly once per grant`,
    applied.rows[0],
  );
  const failed = await db.sql.query<{ n: string }>(`SELECT count(*) AS n FROM audit_events WHERE action = 'grant.failed'`);
  c.check(Number(failed.rows[0]!.n) === 0, `${label}: no grant.failed event`, failed.rows[0]);

  const done = samples.filter((s) => s.visibleAt !== undefined);
  const total = done.map((s) => s.visibleAt! - s.sentAt);
  const requestPath = done.map((s) => s.answeredAt - s.sentAt);
  const pickup = done.flatMap((s) => {
    const r = byRequest.get(s.requestId);
    return r?.applied ? [r.applied.getTime() - r.decided.getTime()] : [];
  });
  const awsWork = done.flatMap((s) => {
    const r = byRequest.get(s.requestId);
    return r?.applied ? [s.visibleAt! - r.applied.getTime()] : [];
  });
  console.log(`  approval -> policy visible in AWS: ${fmt(total)}`);
  console.log(`    the approval's request path (POST round trip): ${fmt(requestPath)}`);
  console.log(`    pickup (decision committed -> grant leased):   ${fmt(pickup)}`);
  console.log(`    AWS work (lease -> attached, ±${POLL_MS} ms poll): ${fmt(awsWork)}`);
  await scanForSecrets(c, label, {
    paths: servers.map((s) => s.logFile),
    pg: [db.url],
    literals: [BENCH_SECRET, BENCH_AWS_KEY.secretAccessKey, decodeURIComponent(new URL(db.url).password)],
  });
  for (const s of servers) await s.stop();
  const sorted = [...total].sort((a, b) => a - b);
  return { replicas: replicaCount, p95: percentile(sorted, 0.95) };
}

runBench('bench:grant-latency', 20 * 60_000, async () => {
  requireBuild();
  for (const n of REPLICAS) if (n !== 1 && n !== 2) throw new Error(`--replicas takes 1, 2 or 1,2, not ${arg('replicas')}`);
  await startMoto(MOTO_PORT);
  await createMotoUsers(motoIam(MOTO_PORT));
  const c = new Checks();
  const results = [];
  for (const n of REPLICAS) results.push(await runSetup(n, c));
  console.log('\n## Targets (issue 20)');
  let missed = 0;
  for (const r of results) {
    const met = r.p95 < TARGET_P95_MS;
    if (!met) missed++;
    console.log(`${met ? 'MET   ' : 'MISSED'}  approval -> policy visible p95 < ${TARGET_P95_MS} ms on ${r.replicas} replica(s) (${Math.round(r.p95)} ms)`);
  }
  console.log(`${results.length - missed} MET, ${missed} MISSED${process.argv.includes('--strict') ? ' (--strict)' : ''}`);
  return c.ok && !(missed && process.argv.includes('--strict'));
});
