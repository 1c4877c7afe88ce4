import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR, type AuditEntry } from '@/lib/audit/model';
import type { ArtifactStore, ReleaseStore } from '@/lib/deployments/ports';
import { AppError } from '@/lib/errors';
import {
  artifactKey,
  assertDeployableCode,
  assertReleaseLabel,
  codeChangesOf,
  describeCodeChange,
  recordRelease,
  releaseParameters,
  releaseContentSha256,
  releaseIdOf,
  type BuiltArtifact,
  type RecordReleaseInput,
  type ReleaseRecord,
} from '@/lib/deployments/releases';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function artifact(name: string, text: string): BuiltArtifact {
  const body = Buffer.from(text);
  return { name, sha256: sha(body), bytes: body.length, body };
}

const COMMIT = 'a'.repeat(40);
const build = (api = 'api code'): RecordReleaseInput => ({
  artifacts: [artifact('api', api), artifact('worker', 'worker code'), artifact('notifier', 'notifier code')],
  gitCommit: COMMIT,
  gitDirty: false,
  builtAt: new Date('2026-12-07T09:00:00Z'),
  builtBy: 'alice',
});

/** The release store's contract in memory: one release per content, its audit event with it. */
function memoryReleases(): ReleaseStore & { rows: ReleaseRecord[]; audit: AuditEntry[] } {
  const rows: ReleaseRecord[] = [];
  const audit: AuditEntry[] = [];
  return {
    rows,
    audit,
    async insertIfAbsent(release, entry) {
      const existing = rows.find((r) => r.contentSha256 === release.contentSha256);
      if (existing) return { release: existing, created: false };
      rows.push(release);
      audit.push(entry);
      return { release, created: true };
    },
    async find(id) {
      return rows.find((r) => r.id === id) ?? null;
    },
    async list(limit) {
      return [...rows].sort((a, b) => b.builtAt.getTime() - a.builtAt.getTime()).slice(0, limit);
    },
  };
}

function memoryBucket(location: string): ArtifactStore & { objects: Map<string, string> } {
  const objects = new Map<string, string>();
  return {
    location,
    bucket: location.startsWith('s3://') ? location.slice(5) : null,
    objects,
    async put(key, body, sha256) {
      expect(sha(body)).toBe(sha256);
      objects.set(key, sha256);
    },
    async has(key) {
      return objects.has(key);
    },
  };
}

const deps = (releases: ReleaseStore, ...artifactStores: ArtifactStore[]) => ({
  releases,
  artifactStores,
  actor: SYSTEM_ACTOR,
  now: () => new Date('2026-12-07T09:01:00Z'),
});

describe('recordRelease', () => {
  it('uploads every zip by content hash to every store, then records the release with its audit event', async () => {
    const releases = memoryReleases();
    const dev = memoryBucket('s3://dev-bucket');
    const prod = memoryBucket('s3://prod-bucket');
    const input = build();
    const { release, created } = await recordRelease(input, deps(releases, dev, prod));

    expect(created).toBe(true);
    const expectedKeys = input.artifacts.map((a) => [`gatehouse/artifacts/${a.name}/${a.sha256}.zip`, a.sha256]);
    expect([...dev.objects].sort()).toEqual(expectedKeys.sort());
    expect([...prod.objects].sort()).toEqual(expectedKeys.sort());
    expect(release.functions.map((f) => f.name)).toEqual(['api', 'worker', 'notifier']);
    expect(release.functions[0]).toEqual({ name: 'api', sha256: input.artifacts[0]!.sha256, bytes: 8, key: artifactKey('api', input.artifacts[0]!.sha256) });
    expect(release).toMatchObject({ gitCommit: COMMIT, gitDirty: false, builtBy: 'alice', builtAt: input.builtAt });
    expect(release.id).toBe(releaseIdOf(release.contentSha256));
    expect(release.id).toMatch(/^r-[0-9a-f]{12}$/);
    expect(releases.audit).toEqual([
      expect.objectContaining({
        action: 'release.recorded',
        targetType: 'release',
        targetId: release.id,
        actorId: null,
        after: expect.objectContaining({ gitCommit: COMMIT, builtBy: 'alice', stores: ['s3://dev-bucket', 's3://prod-bucket'] }),
      }),
    ]);
  });

  it('is idempotent by content: the same artifacts again are the release already recorded, whoever builds them', async () => {
    const releases = memoryReleases();
    const bucket = memoryBucket('sandbox:111122223333');
    const first = await recordRelease(build(), deps(releases, bucket));
    const again = await recordRelease({ ...build(), builtBy: 'bob', builtAt: new Date('2026-12-08T00:00:00Z'), gitDirty: true }, deps(releases, bucket));
    expect(again).toEqual({ release: first.release, created: false });
    expect(releases.rows).toHaveLength(1);
    expect(releases.audit).toHaveLength(1);

    const changed = await recordRelease(build('api code v2'), deps(releases, bucket));
    expect(changed.created).toBe(true);
    expect(changed.release.id).not.toBe(first.release.id);
    expect(releases.rows).toHaveLength(2);
  });

  it('names the content by every function, whatever the order of the build', () => {
    const fns = build().artifacts.map((a) => ({ name: a.name, sha256: a.sha256 }));
    expect(releaseContentSha256([...fns].reverse())).toBe(releaseContentSha256(fns));
    expect(releaseContentSha256([{ ...fns[0]!, sha256: 'f'.repeat(64) }, ...fns.slice(1)])).not.toBe(releaseContentSha256(fns));
  });

  it.each([
    [
      'a zip that is not what the manifest says',
      { artifacts: [{ ...artifact('api', 'x'), sha256: 'b'.repeat(64) }, artifact('worker', 'w'), artifact('notifier', 'n')] },
      /api: the zip/,
    ],
    ['a missing function', { artifacts: [artifact('api', 'a'), artifact('worker', 'w')] }, /no notifier function/],
    [
      'an unknown function',
      { artifacts: [artifact('api', 'a'), artifact('worker', 'w'), artifact('notifier', 'n'), artifact('extra', 'e')] },
      /each of api, worker, notifier once/,
    ],
    ['a function twice', { artifacts: [artifact('api', 'a'), artifact('api', 'b'), artifact('worker', 'w'), artifact('notifier', 'n')] }, /once/],
    ['a commit that is not one', { gitCommit: 'main' }, /Not a git commit/],
    ['no builder', { builtBy: '  ' }, /who built it/],
  ])('refuses %s with 422, uploading and recording nothing', async (_label, change, message) => {
    const releases = memoryReleases();
    const bucket = memoryBucket('s3://b');
    await expect(recordRelease({ ...build(), ...change }, deps(releases, bucket))).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      message: expect.stringMatching(message),
    });
    expect(bucket.objects.size).toBe(0);
    expect(releases.rows).toEqual([]);
  });

  it('records nothing when an upload fails, so a retry finds no release without its zips', async () => {
    const releases = memoryReleases();
    const failing: ArtifactStore = {
      location: 's3://b',
      bucket: 'b',
      put: async () => {
        throw new Error('S3 is down');
      },
      has: async () => false,
    };
    await expect(recordRelease(build(), deps(releases, failing))).rejects.toThrow('S3 is down');
    expect(releases.rows).toEqual([]);
    await expect(recordRelease(build(), deps(releases))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});

describe('a release in a plan', () => {
  const release = (id: string, keys: [string, string, string]): ReleaseRecord => ({
    id,
    contentSha256: id.padEnd(64, '0'),
    gitCommit: COMMIT,
    gitDirty: false,
    builtAt: new Date(0),
    builtBy: 'alice',
    functions: (['api', 'worker', 'notifier'] as const).map((name, i) => ({ name, sha256: 'a'.repeat(64), bytes: 1, key: keys[i]! })),
  });
  const A = release('r-aaaaaaaaaaaa', ['api/a.zip', 'worker/a.zip', 'notifier/a.zip']);
  const B = release('r-bbbbbbbbbbbb', ['api/b.zip', 'worker/a.zip', 'notifier/b.zip']);

  it('sets each function’s key and the release label (when the template has one)', () => {
    expect(releaseParameters(B, ['ApiCodeKey', 'ReleaseLabel'])).toEqual({
      ApiCodeKey: 'api/b.zip',
      WorkerCodeKey: 'worker/a.zip',
      NotifierCodeKey: 'notifier/b.zip',
      ReleaseLabel: B.id,
    });
    expect(releaseParameters(B, [])).not.toHaveProperty('ReleaseLabel');
    // In aws mode the zips are in the account's deployment bucket: the functions load them from there.
    expect(releaseParameters(B, ['ArtifactBucket'], 'acme-deploy-prod')).toMatchObject({ ArtifactBucket: 'acme-deploy-prod' });
    expect(releaseParameters(B, ['ArtifactBucket'], null)).not.toHaveProperty('ArtifactBucket');
  });

  it('refuses placeholders and empty keys, naming the parameter', () => {
    expect(() => assertDeployableCode({ ApiCodeKey: 'api/unbuilt.zip', WorkerCodeKey: 'worker/a.zip' })).toThrow(
      /ApiCodeKey is the placeholder api\/unbuilt\.zip/,
    );
    expect(() => assertDeployableCode({ ApiCodeKey: 'api/a.zip', NotifierCodeKey: '' })).toThrow(/NotifierCodeKey is empty/);
    expect(() => assertDeployableCode({ ApiCodeKey: 'api/a.zip', WorkerCodeKey: 'worker/a.zip', NotifierCodeKey: 'notifier/a.zip' })).not.toThrow();
  });

  it('says per function which release replaces which, an unchanged zip as unchanged, a key no release holds by its name, and a new stack as none', () => {
    const changes = codeChangesOf(B, { ApiCodeKey: 'api/a.zip', WorkerCodeKey: 'worker/a.zip', NotifierCodeKey: 'notifier/old.zip' }, [A, B]);
    expect(changes.map(describeCodeChange)).toEqual([
      'code: release r-aaaaaaaaaaaa -> release r-bbbbbbbbbbbb',
      // The same zip is in both releases: that function's code does not change.
      'code: unchanged (release r-bbbbbbbbbbbb)',
      'code: notifier/old.zip (no release) -> release r-bbbbbbbbbbbb',
    ]);
    expect(codeChangesOf(A, null, [A]).map(describeCodeChange)).toEqual(Array(3).fill('code: none -> release r-aaaaaaaaaaaa'));
  });

  it('names the zips by their hash when the keys are a release’s artifacts', () => {
    const [a, b] = ['1'.repeat(64), '2'.repeat(64)];
    const built = release('r-111111111111', [artifactKey('api', a), 'worker/a.zip', 'notifier/a.zip']);
    const next = release('r-222222222222', [artifactKey('api', b), 'worker/b.zip', 'notifier/b.zip']);
    expect(describeCodeChange(codeChangesOf(next, { ApiCodeKey: artifactKey('api', a) }, [next, built])[0]!)).toBe(
      'code: release r-111111111111 (sha256 111111111111) -> release r-222222222222 (sha256 222222222222)',
    );
  });

  it('refuses a release label that is not the deployed release’s id, with the reason', () => {
    expect(() => assertReleaseLabel(undefined, B)).not.toThrow();
    expect(() => assertReleaseLabel(B.id, B)).not.toThrow();
    expect(() => assertReleaseLabel(A.id, B)).toThrow(
      new AppError(
        'UNPROCESSABLE',
        'ReleaseLabel r-aaaaaaaaaaaa does not name the release this plan deploys (r-bbbbbbbbbbbb): the release sets it. Leave ReleaseLabel out, or pick the release to deploy.',
      ),
    );
    expect(() => assertReleaseLabel('r2026.12.1', null)).toThrow(/ReleaseLabel comes from the release a plan deploys, and none is recorded/);
    expect(() => assertReleaseLabel(undefined, null)).not.toThrow();
  });
});
