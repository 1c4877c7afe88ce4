import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseKinds } from '@/lib/server/db/test-databases';
import {
  findActiveActor,
  findUserIdByExternalId,
  listSignInUsers,
  listUsersForAdmin,
  recordSignIn,
  setUserRoles,
  upsertSsoUser,
} from '@/lib/server/db/repositories/users';
import { listTeams } from '@/lib/server/db/repositories/teams';
import { seed } from '@/prisma/seed';

describe.each(testDatabaseKinds())('user and team repositories on %s', (kind) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await seed(db.prisma);
  });
  afterAll(async () => db.drop());

  it('loads an active user as an actor with sorted roles and teams', async () => {
    expect(await findActiveActor('usr_jaewon_choi', db.prisma)).toEqual({
      id: 'usr_jaewon_choi',
      email: 'jaewon.choi@example.com',
      name: 'Jae-won Choi',
      roles: ['ENGINEER'],
      teams: [{ id: 'team_payments', slug: 'payments', name: 'Payments', isLead: true }],
    });
    expect(await findActiveActor('nobody', db.prisma)).toBeNull();
  });

  it('treats a deactivated user as absent, for sign-in and for sessions', async () => {
    await db.prisma.user.create({ data: { id: 'usr_gone', email: 'gone@example.com', name: 'Gone', roles: ['ENGINEER'], active: false } });
    expect(await findActiveActor('usr_gone', db.prisma)).toBeNull();
    expect((await listSignInUsers(db.prisma)).map((u) => u.id)).not.toContain('usr_gone');
    expect((await listUsersForAdmin(db.prisma)).find((u) => u.id === 'usr_gone')?.active).toBe(false);
  });

  it('sets roles (deduplicated, sorted) and reports a missing user', async () => {
    expect(await setUserRoles('usr_daniel_okafor', ['OPS', 'ENGINEER', 'OPS'], db.prisma)).toBe(true);
    expect((await findActiveActor('usr_daniel_okafor', db.prisma))?.roles).toEqual(['ENGINEER', 'OPS']);
    expect(await setUserRoles('usr_missing', ['ADMIN'], db.prisma)).toBe(false);
  });

  it('stamps the last sign-in', async () => {
    await recordSignIn('usr_minji_kim', db.prisma);
    const row = (await listUsersForAdmin(db.prisma)).find((u) => u.id === 'usr_minji_kim');
    expect(row?.lastLoginAt).toBeInstanceOf(Date);
    expect(Date.now() - row!.lastLoginAt!.getTime()).toBeLessThan(60_000);
  });

  it('creates an SSO user, then follows the identity provider on the next sign-in', async () => {
    const first = await upsertSsoUser(
      { subject: 'oidc|42', email: 'new.hire@example.com', name: 'New Hire', roles: ['ENGINEER'], teamSlugs: ['data', 'unknown-team'] },
      db.prisma,
    );
    expect(first).toMatchObject({ email: 'new.hire@example.com', roles: ['ENGINEER'], teams: [{ slug: 'data', isLead: false }] });
    expect(await findUserIdByExternalId('oidc|42', db.prisma)).toBe(first!.id);

    const second = await upsertSsoUser(
      { subject: 'oidc|42', email: 'new.hire@example.com', name: 'New Hire', roles: ['ENGINEER', 'OPS'], teamSlugs: ['platform'] },
      db.prisma,
    );
    expect(second?.id).toBe(first!.id);
    expect(second?.roles).toEqual(['ENGINEER', 'OPS']);
    expect(second?.teams.map((t) => t.slug)).toEqual(['platform']);
  });

  it('links an SSO sign-in to the existing user with that email, and refuses a deactivated one', async () => {
    const linked = await upsertSsoUser(
      { subject: 'oidc|minji', email: 'minji.kim@example.com', name: 'Minji Kim', roles: ['ENGINEER'], teamSlugs: ['payments'] },
      db.prisma,
    );
    expect(linked?.id).toBe('usr_minji_kim');
    expect(
      await upsertSsoUser({ subject: 'oidc|gone', email: 'gone@example.com', name: 'Gone', roles: ['ENGINEER'], teamSlugs: [] }, db.prisma),
    ).toBeNull();
  });

  it('lists teams with member counts', async () => {
    const teams = await listTeams(db.prisma);
    expect(teams.map((t) => t.slug)).toEqual(['data', 'payments', 'platform']);
    expect(teams.find((t) => t.slug === 'payments')?.memberCount).toBe(2);
  });
});
