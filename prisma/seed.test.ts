import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseKinds } from '@/lib/server/db/test-databases';
import { APP_ROLES } from '@/lib/identity/actor';
import { seed, SEED_TEAMS, SEED_USERS } from '@/prisma/seed';

describe.each(testDatabaseKinds())('seed on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => db.drop());

  it('creates teams and at least one user of every role, and is safe to re-run', async () => {
    await seed(db.prisma);
    await db.prisma.user.update({ where: { id: 'usr_minji_kim' }, data: { roles: ['ENGINEER', 'OPS'] } });
    await seed(db.prisma);
    expect(await db.prisma.team.count()).toBe(SEED_TEAMS.length);
    expect(await db.prisma.user.count()).toBe(SEED_USERS.length);
    const users = await db.prisma.user.findMany({ select: { roles: true } });
    for (const role of APP_ROLES) expect(users.some((u) => u.roles.includes(role))).toBe(true);
    // What an admin changed survives a re-run.
    const minji = await db.prisma.user.findUniqueOrThrow({ where: { id: 'usr_minji_kim' }, select: { roles: true } });
    expect(minji.roles).toEqual(['ENGINEER', 'OPS']);
    expect(await db.prisma.teamMembership.count()).toBe(SEED_USERS.reduce((n, u) => n + u.teams.length, 0));
  });
});
