import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseKinds } from '@/lib/server/db/test-databases';
import { findActiveActor, findUserIdByExternalId, listSignInUsers, listUsersForAdmin, recordSignIn, upsertSsoUser } from '@/lib/server/db/repositories/users';
import { setUserRoles } from '@/lib/server/identity';
import { createIdentityStore } from '@/lib/server/db/repositories/identity-write';

import { listTeams } from '@/lib/server/db/repositories/teams';
import { verifyAuditChain } from '@/lib/server/db/repositories/audit';
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

  const admin = { id: 'usr_hyunwoo_lee', name: 'Hyun-woo Lee' };
  const origin = { ip: '10.0.0.7', userAgent: 'vitest' };
  const events = (where: { action?: string; targetId?: string } = {}) =>
    db.prisma.auditEvent.findMany({
      where,
      orderBy: { seq: 'asc' },
      select: { action: true, actorId: true, actorName: true, targetType: true, targetId: true, teamId: true, before: true, after: true, ip: true },
    });

  it('sets roles (deduplicated, sorted), audited as user.roles_changed with before and after, and reports a missing user', async () => {
    expect(await setUserRoles('usr_daniel_okafor', ['OPS', 'ENGINEER', 'OPS'], admin, origin, createIdentityStore(db.prisma))).toBe(true);
    expect((await findActiveActor('usr_daniel_okafor', db.prisma))?.roles).toEqual(['ENGINEER', 'OPS']);
    expect(await events({ action: 'user.roles_changed' })).toEqual([
      {
        action: 'user.roles_changed',
        actorId: admin.id,
        actorName: admin.name,
        targetType: 'user',
        targetId: 'usr_daniel_okafor',
        teamId: null,
        before: { roles: ['ENGINEER'] },
        after: { roles: ['ENGINEER', 'OPS'] },
        ip: '10.0.0.7',
      },
    ]);
    expect(await setUserRoles('usr_missing', ['ADMIN'], admin, origin, createIdentityStore(db.prisma))).toBe(false);
    expect(await db.prisma.auditEvent.count({ where: { action: 'user.roles_changed' } })).toBe(1);
    expect((await verifyAuditChain(db.prisma)).ok).toBe(true);
  });

  it('writes nothing, audit included, when the roles are saved unchanged (in any order)', async () => {
    const count = await db.prisma.auditEvent.count();
    const { updatedAt } = await db.prisma.user.findUniqueOrThrow({ where: { id: 'usr_daniel_okafor' }, select: { updatedAt: true } });
    expect(await setUserRoles('usr_daniel_okafor', ['OPS', 'ENGINEER'], admin, origin, createIdentityStore(db.prisma))).toBe(true);
    expect(await db.prisma.auditEvent.count()).toBe(count);
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: 'usr_daniel_okafor' }, select: { updatedAt: true } })).updatedAt).toEqual(updatedAt);
  });

  it('does not change the roles when their audit event cannot be written (one transaction)', async () => {
    // The database itself refuses the audit insert, whichever way the application writes it.
    await db.prisma.$executeRawUnsafe(`CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$`);
    await db.prisma.$executeRawUnsafe(`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_audit()`);
    try {
      await expect(setUserRoles('usr_daniel_okafor', ['ADMIN', 'SECURITY'], admin, origin, createIdentityStore(db.prisma))).rejects.toThrow(/audit refused/);
    } finally {
      await db.prisma.$executeRawUnsafe(`DROP TRIGGER refuse_audit ON audit_events`);
      await db.prisma.$executeRawUnsafe(`DROP FUNCTION refuse_audit()`);
    }
    expect((await findActiveActor('usr_daniel_okafor', db.prisma))?.roles).toEqual(['ENGINEER', 'OPS']);
    expect(await db.prisma.auditEvent.count({ where: { action: 'user.roles_changed' } })).toBe(1);
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

    // Every change of who may do what is in the history, by the system on the identity provider's word.
    const source = { source: 'sso', subject: 'oidc|42' };
    expect(await events({ targetId: first!.id })).toEqual(
      [
        { action: 'user.created', teamId: null, before: null, after: { email: 'new.hire@example.com', name: 'New Hire', roles: ['ENGINEER'], ...source } },
        { action: 'team.member_added', teamId: 'team_data', before: null, after: { teamId: 'team_data', ...source } },
        { action: 'user.roles_changed', teamId: null, before: { roles: ['ENGINEER'] }, after: { roles: ['ENGINEER', 'OPS'], ...source } },
        { action: 'team.member_removed', teamId: 'team_data', before: { teamId: 'team_data' }, after: source },
        { action: 'team.member_added', teamId: 'team_platform', before: null, after: { teamId: 'team_platform', ...source } },
      ].map((e) => ({ ...e, actorId: null, actorName: 'Gatehouse (system)', targetType: 'user', targetId: first!.id, ip: null })),
    );

    // A sign-in that changes nothing records nothing.
    const count = await db.prisma.auditEvent.count();
    await upsertSsoUser(
      { subject: 'oidc|42', email: 'new.hire@example.com', name: 'New Hire', roles: ['OPS', 'ENGINEER'], teamSlugs: ['platform'] },
      db.prisma,
    );
    expect(await db.prisma.auditEvent.count()).toBe(count);
    expect((await verifyAuditChain(db.prisma)).ok).toBe(true);
  });

  it('links an SSO sign-in to the existing user with that email, and refuses a deactivated one', async () => {
    const linked = await upsertSsoUser(
      { subject: 'oidc|minji', email: 'minji.kim@example.com', name: 'Minji Kim', roles: ['ENGINEER'], teamSlugs: ['payments'] },
      db.prisma,
    );
    expect(linked?.id).toBe('usr_minji_kim');
    expect(await upsertSsoUser({ subject: 'oidc|gone', email: 'gone@example.com', name: 'Gone', roles: ['ENGINEER'], teamSlugs: [] }, db.prisma)).toBeNull();
  });

  it('lists teams with member counts', async () => {
    const teams = await listTeams(db.prisma);
    expect(teams.map((t) => t.slug)).toEqual(['data', 'payments', 'platform']);
    expect(teams.find((t) => t.slug === 'payments')?.memberCount).toBe(2);
  });
});
