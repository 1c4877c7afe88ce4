import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArtifactStore } from '@/lib/deployments/ports';
import { describeCodeChange, type ReleaseRecord } from '@/lib/deployments/releases';
import { executeDeployment, planDeployment, runDeploymentJobs, type DeploymentDeps } from '@/lib/deployments/service';
import type { Actor } from '@/lib/identity/actor';
import { listAuditEvents } from '@/lib/server/db/repositories/audit';
import { createDeploymentStore, findDeploymentView } from '@/lib/server/db/repositories/deployments';
import { createReleaseStore } from '@/lib/server/db/repositories/releases';
import { createSandboxStore } from '@/lib/server/db/repositories/sandbox-objects';
import { findActiveActor } from '@/lib/server/db/repositories/users';
import { createTestDatabase, recordTestRelease } from '@/lib/server/db/test-databases';
import { createFileTemplateSource } from '@/lib/server/deployments/template-source';
import { createSandboxCloudFormation } from '@/lib/server/sandbox/cloudformation';
import { seedSandboxStacks } from '@/lib/server/sandbox/seed-stacks';
import { seed } from '@/prisma/seed';

const DURATION = 6_000;
// A simulated minute of a traffic shift: prod's 10-minute canary takes 1.1 s here (traffic-shift.test.ts follows one closely).
const SHIFT_MINUTE_MS = 100;

/** One side of a code change as the diff says it: the release and its function's zip by hash. */
const ref = (r: ReleaseRecord, fn: number) => `release ${r.id} (sha256 ${r.functions[fn]!.sha256.slice(0, 12)})`;

// A plan deploys a release (docs/decisions/042-releases.md): the newest by default, the one asked
// for otherwise; never a placeholder. The diff says per function which release replaces which.
describe('plans deploy a release', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let t = Date.parse('2026-11-29T10:00:00Z');
  const clock = () => new Date(t);
  let deps: DeploymentDeps;
  let ops: Actor;
  let ids = 0;

  beforeAll(async () => {
    db = await createTestDatabase('embedded');
    await seed(db.prisma);
    const store = createSandboxStore(db.prisma);
    const templates = createFileTemplateSource();
    await seedSandboxStacks(store, templates, 'eu-central-1', clock());
    const sandboxCfn = createSandboxCloudFormation(store, { region: 'eu-central-1', durationMs: DURATION, shiftMinuteMs: SHIFT_MINUTE_MS, now: clock });
    deps = {
      store: createDeploymentStore(db.prisma),
      cfn: () => sandboxCfn,
      templates,
      releases: createReleaseStore(db.prisma),
      now: clock,
      newId: () => `rel${++ids}`,
      config: { approvals: { dev: 0, staging: 0, prod: 1 }, planTtlMs: 24 * 3_600_000, pollMs: 3_000, sandbox: true },
    };
    ops = (await findActiveActor('usr_priya_raman', db.prisma))!;
  });
  afterAll(async () => db.drop());

  it('refuses to plan the placeholder code (unbuilt.zip) while no release is recorded: 422 with the reason, nothing written', async () => {
    await expect(planDeployment(deps, ops, { environment: 'dev', parameters: {} }, null)).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      message: expect.stringMatching(/ApiCodeKey is the placeholder api\/unbuilt\.zip.*npm run release/),
    });
    // Nor can a label stand in for a release.
    await expect(planDeployment(deps, ops, { environment: 'dev', parameters: { ReleaseLabel: 'r2026.12.1' } }, null)).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      message: 'ReleaseLabel comes from the release a plan deploys, and none is recorded: record one with npm run release, then plan again.',
    });
    expect(await db.prisma.deployment.count()).toBe(0);
  });

  it('refuses a release that is not recorded, and code keys typed by hand', async () => {
    await recordTestRelease(db.prisma, 'a', new Date('2026-11-01T00:00:00Z'));
    await expect(planDeployment(deps, ops, { environment: 'dev', parameters: {}, release: 'r-000000000000' }, null)).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      message: expect.stringContaining('Release r-000000000000 is not recorded'),
    });
    await expect(planDeployment(deps, ops, { environment: 'dev', parameters: { WorkerCodeKey: 'worker/anything.zip' } }, null)).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      message: expect.stringContaining('WorkerCodeKey come from the release'),
    });
    expect(await db.prisma.deployment.count()).toBe(0);
  });

  it('deploys the newest release by default and shows per function which code it replaces: release A -> release B', async () => {
    const older = (await createReleaseStore(db.prisma).list(10))[0]!;
    const newer = await recordTestRelease(db.prisma, 'b', new Date('2026-11-20T00:00:00Z'));

    // Staging runs code no release holds (seeded as r2026.10.28): the plan says so, per function.
    const first = await planDeployment(deps, ops, { environment: 'staging', parameters: {}, release: older.id }, null);
    const plan = (await findDeploymentView(first.id, db.prisma))!;
    expect(plan.releaseId).toBe(older.id);
    expect(plan.parameters).toMatchObject({
      ApiCodeKey: older.functions[0]!.key,
      WorkerCodeKey: older.functions[1]!.key,
      NotifierCodeKey: older.functions[2]!.key,
      ReleaseLabel: older.id,
    });
    expect(plan.codeChanges!.map(describeCodeChange)).toEqual([
      `code: api/4f2a91c07e5b3d68.zip (no release) -> ${ref(older, 0)}`,
      `code: worker/a81c3e0f96d2b457.zip (no release) -> ${ref(older, 1)}`,
      `code: notifier/0d7be2c5a9143f86.zip (no release) -> ${ref(older, 2)}`,
    ]);
    const { events } = await listAuditEvents({ q: first.id, limit: 10 }, db.prisma);
    expect(events.find((e) => e.action === 'deployment.planned')?.after).toMatchObject({ releaseId: older.id });

    // Once staging runs the older release, the default plan moves it to the newer one.
    await executeDeployment(deps, ops, first.id, null);
    for (let i = 0; i < 6; i++) {
      t += 3_000;
      await runDeploymentJobs(deps);
    }
    expect((await deps.store.find(first.id))?.status).toBe('SUCCEEDED');
    const second = await planDeployment(deps, ops, { environment: 'staging', parameters: {} }, null);
    const next = (await findDeploymentView(second.id, db.prisma))!;
    expect(next.releaseId).toBe(newer.id);
    expect(next.codeChanges!.map(describeCodeChange)).toEqual([0, 1, 2].map((i) => `code: ${ref(older, i)} -> ${ref(newer, i)}`));
    expect(next.codeChanges![0]).toEqual({
      name: 'api',
      parameter: 'ApiCodeKey',
      from: { key: older.functions[0]!.key, releaseId: older.id },
      to: { key: newer.functions[0]!.key, releaseId: newer.id },
    });
  });

  it('refuses a ReleaseLabel that does not name the release deployed: 422 with the reason, nothing written', async () => {
    const [newest, older] = await createReleaseStore(db.prisma).list(2);
    const counts = () => Promise.all([db.prisma.deployment.count(), db.prisma.auditEvent.count(), db.prisma.sandboxObject.count()]);
    const before = await counts();
    const refusal = (label: string, deployed: string) =>
      `ReleaseLabel ${label} does not name the release this plan deploys (${deployed}): the release sets it. Leave ReleaseLabel out, or pick the release to deploy.`;
    // A label of one's own, another release's id, or the newest's id on a plan of another release: each would mislabel the code.
    await expect(planDeployment(deps, ops, { environment: 'prod', parameters: { ReleaseLabel: 'r2026.12.1' } }, null)).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      message: refusal('r2026.12.1', newest!.id),
    });
    await expect(planDeployment(deps, ops, { environment: 'prod', parameters: { ReleaseLabel: older!.id } }, null)).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      message: refusal(older!.id, newest!.id),
    });
    await expect(planDeployment(deps, ops, { environment: 'prod', parameters: { ReleaseLabel: newest!.id }, release: older!.id }, null)).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      message: refusal(newest!.id, older!.id),
    });
    expect(await counts()).toEqual(before);

    // The release's own id is what the release sets anyway.
    const { id } = await planDeployment(deps, ops, { environment: 'prod', parameters: { ReleaseLabel: older!.id }, release: older!.id }, null);
    expect((await findDeploymentView(id, db.prisma))!.parameters.ReleaseLabel).toBe(older!.id);
  });

  it('takes the plan form as it posts every parameter: unchanged code keys and label are the file’s, so the release sets them', async () => {
    const file = await createFileTemplateSource().parameterFile('prod');
    const { id } = await planDeployment(deps, ops, { environment: 'prod', parameters: { ...file, DbEngineVersion: file.DbEngineVersion! } }, null);
    const plan = (await findDeploymentView(id, db.prisma))!;
    expect(file.ApiCodeKey).toBe('api/unbuilt.zip');
    expect(plan.parameters.ApiCodeKey).toBe((await createReleaseStore(db.prisma).find(plan.releaseId!))!.functions[0]!.key);
    expect(plan.parameters.ReleaseLabel).toBe(plan.releaseId);
    // The changed parameters say truthfully what the release changed.
    expect(Object.keys(plan.overrides).sort()).toEqual(['ApiCodeKey', 'NotifierCodeKey', 'ReleaseLabel', 'WorkerCodeKey']);
  });

  it('refuses a release whose zips are not in the environment’s account (422, naming them); once there, points the functions at that bucket', async () => {
    const stored = new Set<string>();
    const asked: string[] = [];
    const bucket: ArtifactStore = {
      location: 's3://acme-deploy-dev',
      bucket: 'acme-deploy-dev',
      put: async (key) => void stored.add(key),
      has: async (key) => stored.has(key),
    };
    const withBucket = { ...deps, artifactsFor: (environment: string) => (asked.push(environment), bucket) };
    const newest = (await createReleaseStore(db.prisma).list(1))[0]!;
    await bucket.put(newest.functions[0]!.key, new Uint8Array(), '');
    const before = await db.prisma.deployment.count();
    await expect(planDeployment(withBucket, ops, { environment: 'dev', parameters: {} }, null)).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      message: `Release ${newest.id} is missing from s3://acme-deploy-dev: ${newest.functions[1]!.key}, ${newest.functions[2]!.key}. Record it again with npm run release (it uploads to every account), then plan again.`,
    });
    expect(await db.prisma.deployment.count()).toBe(before);
    expect(asked).toEqual(['DEV']);

    for (const f of newest.functions) stored.add(f.key);
    const { id } = await planDeployment(withBucket, ops, { environment: 'dev', parameters: {} }, null);
    const plan = (await findDeploymentView(id, db.prisma))!;
    expect(plan.parameters.ArtifactBucket).toBe('acme-deploy-dev');
    expect(plan.codeChanges!.every((c) => c.from === null)).toBe(true);
    expect(describeCodeChange(plan.codeChanges![0]!)).toBe(`code: none -> ${ref(newest, 0)}`);
  });
});
