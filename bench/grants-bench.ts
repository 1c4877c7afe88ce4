/**
 * Grant latency (grant engine issue): from an approval committing to its policy attached, and from
 * a grant's end to its policy removed, over 100 grants on the embedded database with the sandbox
 * account, then again with 100 ms injected into every IAM call (as a slow AWS would be).
 *
 *   npm run bench:grants
 */
import { createRequest, decideRequest } from '../lib/access/service';
import type { CreateRequestInput } from '../lib/access/schemas';
import type { IamPort } from '../lib/grants/ports';
import { runGrantLifecycle } from '../lib/grants/service';
import { createAccessStore } from '../lib/server/db/repositories/access';
import { createGrantStore } from '../lib/server/db/repositories/grants';
import { createSandboxStore } from '../lib/server/db/repositories/sandbox-objects';
import { findActiveActor } from '../lib/server/db/repositories/users';
import { createTestDatabase, seededAccountFor } from '../lib/server/db/test-databases';
import { createSandboxIam } from '../lib/server/sandbox/iam';
import { createSandboxSecrets } from '../lib/server/sandbox/secrets';
import { seedSandboxAccount } from '../lib/server/sandbox/seed-account';
import { seed } from '../prisma/seed';

const N = Number(process.env.BENCH_GRANTS ?? 100);

function withLatency(iam: IamPort, ms: number): IamPort {
  const delay = () => new Promise((r) => setTimeout(r, ms));
  return {
    ensurePolicy: async (...a) => (await delay(), iam.ensurePolicy(...a)),
    attachPolicy: async (...a) => (await delay(), iam.attachPolicy(...a)),
    detachPolicy: async (...a) => (await delay(), iam.detachPolicy(...a)),
    deletePolicy: async (...a) => (await delay(), iam.deletePolicy(...a)),
    listPolicies: async (...a) => (await delay(), iam.listPolicies(...a)),
    principalExists: async (...a) => (await delay(), iam.principalExists(...a)),
    ensureRole: async (...a) => (await delay(), iam.ensureRole(...a)),
    updateRoleInlinePolicy: async (...a) => (await delay(), iam.updateRoleInlinePolicy(...a)),
  };
}

const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

async function run(label: string, latencyMs: number) {
  const db = await createTestDatabase('embedded');
  try {
    await seed(db.prisma);
    await seedSandboxAccount(db.prisma);
    const access = { store: createAccessStore(db.prisma), accountFor: seededAccountFor, now: () => new Date() };
    const iam = withLatency(createSandboxIam(createSandboxStore(db.prisma)), latencyMs);
    const secrets = createSandboxSecrets(createSandboxStore(db.prisma));
    const grants = { store: createGrantStore(db.prisma), iam: () => iam, secrets: () => secrets, now: () => new Date() };
    const minji = (await findActiveActor('usr_minji_kim', db.prisma))!;
    const seoyeon = (await findActiveActor('usr_seoyeon_park', db.prisma))!;
    const apply: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < N; i++) {
      const r = await createRequest(
        access,
        minji,
        {
          type: 'SECRET_READ',
          secretId: 'sec_dev_payments_stripe_api_key',
          justification: `Latency run ${i}`,
          durationMinutes: 15,
          breakGlass: false,
        } as CreateRequestInput,
        null,
      );
      await decideRequest(access, seoyeon, { requestId: r.id, kind: 'APPROVE', comment: '' }, null);
      // What the server does right after the approval commits (kickGrants).
      const t0 = performance.now();
      await runGrantLifecycle(grants);
      apply.push(performance.now() - t0);
      ids.push(r.id);
    }
    // Expiry: move the clock past every end, then one job pass removes them (the job runs every 15 s).
    const later = new Date(Date.now() + 16 * 60_000);
    const t0 = performance.now();
    const expired = { ...grants, now: () => later };
    let passes = 0;
    while ((await db.prisma.grant.count({ where: { status: { not: 'ENDED' } } })) > 0 && passes < 10) {
      await runGrantLifecycle(expired, 200);
      passes++;
    }
    const removeAll = performance.now() - t0;
    const active = await db.prisma.grant.count({ where: { status: 'ENDED' } });
    console.log(`${label}: ${N} grants`);
    console.log(
      `  approval committed -> policy attached: median ${pct(apply, 0.5).toFixed(1)} ms, p95 ${pct(apply, 0.95).toFixed(1)} ms, max ${Math.max(...apply).toFixed(1)} ms (target < 1000 ms)`,
    );
    console.log(`  ${active} grants expired and removed in ${passes} job pass(es), ${removeAll.toFixed(0)} ms (+ up to the 15 s job interval; target < 60 s)`);
  } finally {
    await db.drop();
  }
}

async function main() {
  await run('sandbox account', 0);
  await run('with 100 ms per IAM call', 100);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
