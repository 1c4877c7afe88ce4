import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAll, type Manifest } from '../../../infra/build.mjs';
import { noteBuildSource } from '../../../scripts/release-source.mjs';
import { SYSTEM_ACTOR } from '@/lib/audit/model';
import { SANDBOX_ACCOUNT_ID } from '@/lib/cloud/sandbox-ids';
import { cloudRoutes, createCloudAdapters } from '@/lib/server/cloud/adapters';
import { createReleaseStore } from '@/lib/server/db/repositories/releases';
import { createSandboxStore } from '@/lib/server/db/repositories/sandbox-objects';
import { createTestDatabase } from '@/lib/server/db/test-databases';
import { BUILD_DIR, readBuild, recordBuiltRelease, releaseArtifactStores } from '@/lib/server/deployments/releases';
import { parseEnv } from '@/lib/server/env-schema';
import { seedDatabase, seedOptionsFor } from '@/lib/server/prepare-database';
import { createSandboxArtifactStore, readSandboxArtifact } from '@/lib/server/sandbox/artifacts';

const REGION = 'eu-central-1';
const STAGING = '444455556666';
const PROD = '777788889999';

describe('releases from a real build', () => {
  let dir: string;
  let manifest: Manifest;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'release-build-'));
    manifest = await buildAll({ out: dir });
    noteBuildSource(dir, { gitCommit: 'b'.repeat(40), gitDirty: false });
    db = await createTestDatabase('embedded');
  }, 120_000);
  afterAll(async () => {
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('uploads the zips into the sandbox store byte for byte and records the build once', async () => {
    const store = createSandboxStore(db.prisma, STAGING);
    const options = { dir, builtBy: 'alice', builtAt: new Date('2026-12-07T09:00:00Z'), actor: SYSTEM_ACTOR };
    const deps = { releases: createReleaseStore(db.prisma), artifactStores: [createSandboxArtifactStore(store)] };
    const { release, created } = await recordBuiltRelease(options, deps);
    expect(created).toBe(true);
    expect(release).toMatchObject({ gitCommit: 'b'.repeat(40), gitDirty: false, builtBy: 'alice' });
    for (const f of release.functions) {
      const built = manifest.functions[f.name];
      expect(f).toEqual({ name: f.name, sha256: built.sha256, bytes: built.bytes, key: `gatehouse/artifacts/${f.name}/${built.sha256}.zip` });
      const stored = await readSandboxArtifact(store, f.key);
      const body = Buffer.from(stored!.body, 'base64');
      expect(body.equals(fs.readFileSync(path.join(dir, built.zip)))).toBe(true);
      expect(createHash('sha256').update(body).digest('hex')).toBe(f.sha256);
    }
    expect(await deps.artifactStores[0]!.has(release.functions[0]!.key)).toBe(true);
    expect(await deps.artifactStores[0]!.has(`gatehouse/artifacts/api/${'0'.repeat(64)}.zip`)).toBe(false);
    // The same build again (by someone else) is the same release.
    const again = await recordBuiltRelease({ ...options, builtBy: 'bob' }, deps);
    expect(again).toEqual({ release, created: false });
    expect(await db.prisma.release.count()).toBe(1);
  });

  it('refuses a build whose zip was changed after the manifest was written, recording nothing', async () => {
    const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'release-broken-'));
    try {
      fs.cpSync(dir, broken, { recursive: true });
      fs.appendFileSync(path.join(broken, 'worker.zip'), 'x');
      const fresh = await createTestDatabase('embedded');
      try {
        const deps = { releases: createReleaseStore(fresh.prisma), artifactStores: [createSandboxArtifactStore(createSandboxStore(fresh.prisma, PROD))] };
        await expect(recordBuiltRelease({ dir: broken, builtBy: 'alice', builtAt: new Date(), actor: SYSTEM_ACTOR }, deps)).rejects.toMatchObject({
          code: 'UNPROCESSABLE',
          message: expect.stringContaining('worker: the zip'),
        });
        expect(await fresh.prisma.release.count()).toBe(0);
        expect(await fresh.prisma.sandboxObject.count({ where: { kind: 'artifact' } })).toBe(0);
      } finally {
        await fresh.drop();
      }
    } finally {
      fs.rmSync(broken, { recursive: true, force: true });
    }
  });

  it('says there is no build when the directory has none', async () => {
    await expect(readBuild(path.join(dir, 'nowhere'))).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('npm run infra:build') });
  });

  it('seeds the build as one release in every simulated account at startup, only when asked, and once however often it starts', async () => {
    const fresh = await createTestDatabase('embedded');
    try {
      expect(seedOptionsFor(sandboxEnv()).releaseDir).toBeUndefined();
      const options = { ...seedOptionsFor(sandboxEnv({ GATEHOUSE_SEED_RELEASE: 'true' })), seed: false };
      expect(options.releaseDir).toBe(BUILD_DIR);
      await seedDatabase(fresh, { ...options, releaseDir: dir });
      await seedDatabase(fresh, { ...options, releaseDir: dir });
      const releases = await createReleaseStore(fresh.prisma).list(10);
      expect(releases).toHaveLength(1);
      expect(releases[0]!.builtBy).toMatch(/\(npm start\)$/);
      expect(await fresh.prisma.auditEvent.count({ where: { action: 'release.recorded' } })).toBe(1);
      for (const account of [SANDBOX_ACCOUNT_ID, STAGING, PROD]) {
        for (const f of releases[0]!.functions) expect((await readSandboxArtifact(createSandboxStore(fresh.prisma, account), f.key))?.sha256).toBe(f.sha256);
      }
    } finally {
      await fresh.drop();
    }
  }, 60_000);
});

describe('where a release goes', () => {
  it('in the sandbox: each simulated account’s store', () => {
    const s = sandboxEnv();
    expect(releaseArtifactStores(cloudRoutes(s).map((r) => createCloudAdapters(s, r))).map((x) => x.location)).toEqual([
      `sandbox:${SANDBOX_ACCOUNT_ID}`,
      `sandbox:${STAGING}`,
      `sandbox:${PROD}`,
    ]);
  });

  const accounts = JSON.stringify({
    dev: { accountId: '210987654321', templateBucket: 'acme-deploy-dev' },
    staging: { accountId: '210987654321', templateBucket: 'acme-deploy-dev' },
    prod: { accountId: '123456789012', roleArn: 'arn:aws:iam::123456789012:role/gatehouse', externalId: 'ext-prod', templateBucket: 'acme-deploy-prod' },
  });

  it('in aws mode: each account’s deployment bucket, each once', () => {
    const s = parseEnv({ GATEHOUSE_CLOUD: 'aws', AWS_REGION: REGION, GATEHOUSE_ACCOUNTS: accounts });
    const stores = releaseArtifactStores(cloudRoutes(s).map((r) => createCloudAdapters(s, r)));
    expect(stores.map((x) => x.location)).toEqual(['s3://acme-deploy-dev', 's3://acme-deploy-prod']);
    // Plans point the functions at the bucket of their environment's account.
    expect(cloudRoutes(s).map((r) => [r.environments, createCloudAdapters(s, r).artifacts()?.bucket])).toEqual([
      [['DEV', 'STAGING'], 'acme-deploy-dev'],
      [['PROD'], 'acme-deploy-prod'],
    ]);
  });

  it('in aws mode: GATEHOUSE_DEPLOY_TEMPLATE_BUCKET for the portal’s own account, and nowhere without one: refused, naming why', () => {
    const s = parseEnv({ GATEHOUSE_CLOUD: 'aws', AWS_REGION: REGION, GATEHOUSE_DEPLOY_TEMPLATE_BUCKET: 'gatehouse-deploy' });
    expect(releaseArtifactStores(cloudRoutes(s).map((r) => createCloudAdapters(s, r))).map((x) => x.location)).toEqual(['s3://gatehouse-deploy']);
    const none = parseEnv({ GATEHOUSE_CLOUD: 'aws', AWS_REGION: REGION });
    expect(() => releaseArtifactStores(cloudRoutes(none).map((r) => createCloudAdapters(none, r)))).toThrow(
      /no deployment bucket: set GATEHOUSE_DEPLOY_TEMPLATE_BUCKET/,
    );
  });
});

function sandboxEnv(more: Record<string, string> = {}) {
  return parseEnv({ GATEHOUSE_CLOUD: 'sandbox', AWS_REGION: REGION, ...more });
}
