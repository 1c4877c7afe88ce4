import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxStore } from '@/lib/server/db/repositories/sandbox-objects';
import { createTestDatabase, testDatabaseKinds } from '@/lib/server/db/test-databases';
import { createSandboxAccountIdentity } from '@/lib/server/sandbox/sts';

describe.each(testDatabaseKinds())('sandbox store on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => db.drop());

  it('stores, lists, replaces and removes documents', async () => {
    const store = createSandboxStore(db.prisma);
    await store.put('iam', 'policy', 'b', { n: 2 });
    await store.put('iam', 'policy', 'a', { n: 1 });
    await store.put('iam', 'user', 'a', { other: true });
    expect(await store.list('iam', 'policy')).toEqual([
      { key: 'a', data: { n: 1 } },
      { key: 'b', data: { n: 2 } },
    ]);
    await store.put('iam', 'policy', 'a', { n: 10 });
    expect(await store.get('iam', 'policy', 'a')).toEqual({ n: 10 });
    expect(await store.remove('iam', 'policy', 'a')).toBe(true);
    expect(await store.remove('iam', 'policy', 'a')).toBe(false);
    expect(await store.get('iam', 'policy', 'a')).toBeNull();
  });

  it('keeps the first writer when two create the same object at once', async () => {
    const store = createSandboxStore(db.prisma);
    const results = await Promise.all([1, 2, 3, 4].map((n) => store.createIfAbsent('sts', 'race', 'k', { n })));
    expect(new Set(results.map((r) => r.n)).size).toBe(1);
  });

  it('gives the sandbox account one id that survives new adapter instances', async () => {
    const first = await createSandboxAccountIdentity(createSandboxStore(db.prisma), 'eu-central-1').describeAccount();
    const again = await createSandboxAccountIdentity(createSandboxStore(db.prisma), 'eu-central-1').describeAccount();
    expect(first.mode).toBe('sandbox');
    expect(first.accountId).toMatch(/^\d{12}$/);
    expect(again.accountId).toBe(first.accountId);
    expect(first.principalArn).toBe(`arn:aws:iam::${first.accountId}:role/gatehouse-portal`);
    expect(first.region).toBe('eu-central-1');
  });
});
