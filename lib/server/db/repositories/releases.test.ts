import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntry, SYSTEM_ACTOR } from '@/lib/audit/model';
import { artifactKey, releaseContentSha256, releaseIdOf, type ReleaseRecord } from '@/lib/deployments/releases';
import { createReleaseStore } from '@/lib/server/db/repositories/releases';
import { createTestDatabase, testDatabaseKinds } from '@/lib/server/db/test-databases';

function release(seed: string, builtAt: string): ReleaseRecord {
  const functions = (['api', 'worker', 'notifier'] as const).map((name) => {
    const sha256 = `${seed}${name}`.padEnd(64, '0').replace(/[^0-9a-f]/g, 'e');
    return { name, sha256, bytes: 100, key: artifactKey(name, sha256) };
  });
  const contentSha256 = releaseContentSha256(functions);
  return { id: releaseIdOf(contentSha256), contentSha256, gitCommit: 'c'.repeat(40), gitDirty: false, functions, builtAt: new Date(builtAt), builtBy: 'alice' };
}

const entryFor = (r: ReleaseRecord) =>
  auditEntry(SYSTEM_ACTOR, 'release.recorded', { type: 'release', id: r.id }, { after: { builtBy: r.builtBy } }, new Date());

describe.each(testDatabaseKinds())('release store on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => db.drop());
  const recorded = (id: string) => db.prisma.auditEvent.count({ where: { action: 'release.recorded', targetId: id } });

  it('records a release with its audit event, and the same content again is that release, with nothing written', async () => {
    const store = createReleaseStore(db.prisma);
    const r = release('a1', '2026-12-07T09:00:00Z');
    expect(await store.insertIfAbsent(r, entryFor(r))).toEqual({ release: r, created: true });
    const again = { ...r, builtBy: 'bob', gitDirty: true, builtAt: new Date('2026-12-08T00:00:00Z') };
    expect(await store.insertIfAbsent(again, entryFor(again))).toEqual({ release: r, created: false });
    expect(await store.find(r.id)).toEqual(r);
    expect(await recorded(r.id)).toBe(1);
    expect(await store.find('r-000000000000')).toBeNull();
  });

  it('keeps one release when the same build is recorded several times at once', async () => {
    const store = createReleaseStore(db.prisma);
    const r = release('b2', '2026-12-07T10:00:00Z');
    const results = await Promise.all([1, 2, 3].map(() => store.insertIfAbsent(r, entryFor(r))));
    expect(results.filter((x) => x.created)).toHaveLength(1);
    expect(await db.prisma.release.count({ where: { contentSha256: r.contentSha256 } })).toBe(1);
    expect(await recorded(r.id)).toBe(1);
  });

  it('lists the newest built first', async () => {
    const store = createReleaseStore(db.prisma);
    const older = release('c3', '2026-12-01T00:00:00Z');
    const newer = release('d4', '2026-12-09T00:00:00Z');
    await store.insertIfAbsent(older, entryFor(older));
    await store.insertIfAbsent(newer, entryFor(newer));
    const list = await store.list(10);
    expect(list[0]).toEqual(newer);
    expect(list.map((r) => r.builtAt.getTime())).toEqual([...list.map((r) => r.builtAt.getTime())].sort((a, b) => b - a));
    expect(list.at(-1)).toEqual(older);
    expect(await store.list(1)).toEqual([newer]);
  });
});
