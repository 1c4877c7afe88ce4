import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxStore, sandboxServiceOf } from '@/lib/server/db/repositories/sandbox-objects';
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

  it('keeps the first writer when several create the same object at once, and none of them fails', async () => {
    const store = createSandboxStore(db.prisma);
    // Many rounds: the race (both read nothing, both insert) is rare in any one of them.
    for (let round = 0; round < 20; round++) {
      const results = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((n) => store.createIfAbsent('sts', 'race', `k${round}`, { n })));
      expect(new Set(results.map((r) => r.n)).size).toBe(1);
    }
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

  it('keeps each simulated account to itself: two accounts never see each other’s objects', async () => {
    const staging = createSandboxStore(db.prisma, '444455556666');
    const prod = createSandboxStore(db.prisma, '777788889999');
    await staging.put('secretsmanager', 'secret', 'shared-name', { account: 'staging' });
    await prod.put('secretsmanager', 'secret', 'shared-name', { account: 'prod' });
    expect(await staging.get('secretsmanager', 'secret', 'shared-name')).toEqual({ account: 'staging' });
    expect(await prod.get('secretsmanager', 'secret', 'shared-name')).toEqual({ account: 'prod' });
    expect(await prod.list('secretsmanager', 'secret')).toEqual([{ key: 'shared-name', data: { account: 'prod' } }]);
    // Neither is the original account's.
    expect(await createSandboxStore(db.prisma).get('secretsmanager', 'secret', 'shared-name')).toBeNull();
    expect(await prod.createIfAbsent('secretsmanager', 'secret', 'only-prod', { n: 1 })).toEqual({ n: 1 });
    expect(await staging.get('secretsmanager', 'secret', 'only-prod')).toBeNull();
    expect(await staging.remove('secretsmanager', 'secret', 'only-prod')).toBe(false);
    expect(await prod.remove('secretsmanager', 'secret', 'only-prod')).toBe(true);
    expect(staging.accountId).toBe('444455556666');
  });

  it('reads the rows a database held before accounts existed as the original account’s (111122223333), unchanged', async () => {
    // A row as the single-account sandbox wrote it: a bare service name.
    await db.prisma.sandboxObject.create({
      data: { service: 'iam', kind: 'user', key: 'legacy.user', data: { arn: 'arn:aws:iam::111122223333:user/legacy.user' } },
    });
    const dev = createSandboxStore(db.prisma, '111122223333');
    expect(dev.accountId).toBe('111122223333');
    expect(await dev.get('iam', 'user', 'legacy.user')).toEqual({ arn: 'arn:aws:iam::111122223333:user/legacy.user' });
    expect(await createSandboxStore(db.prisma).get('iam', 'user', 'legacy.user')).not.toBeNull();
    expect(await createSandboxStore(db.prisma, '777788889999').get('iam', 'user', 'legacy.user')).toBeNull();
    // Another account's rows are namespaced by its id; the original account's stay bare.
    await createSandboxStore(db.prisma, '777788889999').put('iam', 'user', 'legacy.user', { arn: 'x' });
    const rows = await db.prisma.sandboxObject.findMany({
      where: { kind: 'user', key: 'legacy.user' },
      select: { service: true },
      orderBy: { service: 'asc' },
    });
    expect(rows.map((r) => r.service)).toEqual(['777788889999:iam', 'iam']);
    expect(sandboxServiceOf('111122223333', 'iam')).toBe('iam');
  });

  it('refuses an account id that is not one', () => {
    expect(() => createSandboxStore(db.prisma, 'prod')).toThrow('not an AWS account id: prod');
  });

  it('gives each simulated account its own id and a portal principal in it', async () => {
    const prod = await createSandboxAccountIdentity(createSandboxStore(db.prisma, '777788889999'), 'eu-central-1').describeAccount();
    expect(prod).toEqual({
      mode: 'sandbox',
      accountId: '777788889999',
      principalArn: 'arn:aws:iam::777788889999:role/gatehouse-portal',
      region: 'eu-central-1',
    });
    const dev = await createSandboxAccountIdentity(createSandboxStore(db.prisma), 'eu-central-1').describeAccount();
    expect(dev.accountId).toBe('111122223333');
  });
});
