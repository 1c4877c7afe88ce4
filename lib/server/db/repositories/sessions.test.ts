import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSessionRevoked, revokeSession } from '@/lib/server/db/repositories/sessions';
import { createTestDatabase, testDatabaseKinds } from '@/lib/server/db/test-databases';

describe.each(testDatabaseKinds())('revoked sessions on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => db.drop());

  it('remembers a revoked session until its cookie would have expired, idempotently, and forgets expired ones', async () => {
    const later = new Date(Date.now() + 3600_000);
    expect(await isSessionRevoked('sid-a', db.prisma)).toBe(false);
    await revokeSession({ id: 'sid-a', userId: 'usr_a', expiresAt: later }, db.prisma);
    await revokeSession({ id: 'sid-a', userId: 'usr_a', expiresAt: later }, db.prisma);
    expect(await isSessionRevoked('sid-a', db.prisma)).toBe(true);
    expect(await isSessionRevoked('sid-b', db.prisma)).toBe(false);

    await db.prisma.revokedSession.create({ data: { id: 'sid-old', userId: 'usr_a', expiresAt: new Date(Date.now() - 1000) } });
    await revokeSession({ id: 'sid-c', userId: 'usr_b', expiresAt: later }, db.prisma);
    expect((await db.prisma.revokedSession.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((r) => r.id)).toEqual(['sid-a', 'sid-c']);
  });
});
