import 'server-only';
import { auditEntry, isUnchanged, SYSTEM_ACTOR } from '@/lib/audit/model';
import type { Actor, AppRole } from '@/lib/identity/actor';
import { prisma } from '@/lib/server/db/connection';
import type { PrismaClient } from '@/lib/server/db/generated/client';
import { appendAuditEvent } from '@/lib/server/db/repositories/audit-append';

const actorSelect = {
  id: true,
  email: true,
  name: true,
  roles: true,
  active: true,
  memberships: { select: { isLead: true, team: { select: { id: true, slug: true, name: true } } }, orderBy: { team: { slug: 'asc' } } },
} as const;

type ActorRow = {
  id: string;
  email: string;
  name: string;
  roles: AppRole[];
  active: boolean;
  memberships: { isLead: boolean; team: { id: string; slug: string; name: string } }[];
};

function toActor(row: ActorRow): Actor {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    roles: [...row.roles].sort(),
    teams: row.memberships.map((m) => ({ ...m.team, isLead: m.isLead })),
  };
}

/** The active user as an Actor, or null when unknown or deactivated. */
export async function findActiveActor(id: string, db: PrismaClient = prisma()): Promise<Actor | null> {
  const row = await db.user.findUnique({ where: { id }, select: actorSelect });
  return row && row.active ? toActor(row) : null;
}

/** The active user with this e-mail address (compared without case), or null. */
export async function findActiveActorByEmail(email: string, db: PrismaClient = prisma()): Promise<Actor | null> {
  const row = await db.user.findFirst({ where: { email: { equals: email, mode: 'insensitive' }, active: true }, select: actorSelect });
  return row ? toActor(row) : null;
}

/** Active users for the local sign-in page, grouped by the caller. */
export async function listSignInUsers(db: PrismaClient = prisma()): Promise<Actor[]> {
  const rows = await db.user.findMany({ where: { active: true }, select: actorSelect, orderBy: { name: 'asc' } });
  return rows.map(toActor);
}

export interface AdminUserRow extends Actor {
  active: boolean;
  lastLoginAt: Date | null;
}

/** Every user with roles and teams, for administration. */
export async function listUsersForAdmin(db: PrismaClient = prisma()): Promise<AdminUserRow[]> {
  const rows = await db.user.findMany({ select: { ...actorSelect, lastLoginAt: true }, orderBy: { name: 'asc' } });
  return rows.map((r) => ({ ...toActor(r), active: r.active, lastLoginAt: r.lastLoginAt }));
}

/** Roles as stored: each once, sorted, so that equal sets compare equal. */
function normalizeRoles(roles: readonly AppRole[]): AppRole[] {
  return [...new Set(roles)].sort();
}

/** Stamps a successful sign-in. */
export async function recordSignIn(id: string, db: PrismaClient = prisma()): Promise<void> {
  await db.user.updateMany({ where: { id }, data: { lastLoginAt: new Date() } });
}

export interface SsoIdentity {
  subject: string;
  email: string;
  name: string;
  roles: AppRole[];
  teamSlugs: string[];
}

/**
 * Creates or updates the user behind an SSO sign-in: roles and team memberships follow the
 * identity provider's groups at every sign-in (teams unknown to the portal are ignored). Each
 * change of who may do what is audited in the same transaction, by the system on the identity
 * provider's word ('user.created', 'user.roles_changed', 'team.member_added', 'team.member_removed');
 * a sign-in that changes nothing records nothing. Returns null for a deactivated user.
 */
export async function upsertSsoUser(identity: SsoIdentity, db: PrismaClient = prisma()): Promise<Actor | null> {
  return db.$transaction(async (tx) => {
    const existing = await tx.user.findFirst({
      where: { OR: [{ externalId: identity.subject }, { email: identity.email }] },
      select: { id: true, active: true, roles: true, memberships: { select: { teamId: true } } },
    });
    if (existing && !existing.active) return null;
    const now = new Date();
    const roles = normalizeRoles(identity.roles);
    const user = existing
      ? await tx.user.update({
          where: { id: existing.id },
          data: { externalId: identity.subject, email: identity.email, name: identity.name, roles, lastLoginAt: now },
          select: { id: true },
        })
      : await tx.user.create({
          data: { externalId: identity.subject, email: identity.email, name: identity.name, roles, lastLoginAt: now },
          select: { id: true },
        });
    const target = { type: 'user', id: user.id };
    const source = { source: 'sso', subject: identity.subject };
    if (!existing) {
      await appendAuditEvent(
        tx,
        auditEntry(SYSTEM_ACTOR, 'user.created', target, { after: { email: identity.email, name: identity.name, roles, ...source } }, now),
        null,
      );
    } else {
      const before = normalizeRoles(existing.roles);
      if (!isUnchanged(before, roles)) {
        await appendAuditEvent(
          tx,
          auditEntry(SYSTEM_ACTOR, 'user.roles_changed', target, { before: { roles: before }, after: { roles, ...source } }, now),
          null,
        );
      }
    }
    const teams = await tx.team.findMany({ where: { slug: { in: identity.teamSlugs } }, select: { id: true } });
    const teamIds = teams.map((t) => t.id);
    const had = new Set(existing?.memberships.map((m) => m.teamId) ?? []);
    const removed = [...had].filter((teamId) => !teamIds.includes(teamId)).sort();
    await tx.teamMembership.deleteMany({ where: { userId: user.id, teamId: { in: removed } } });
    for (const teamId of removed) {
      await appendAuditEvent(tx, auditEntry(SYSTEM_ACTOR, 'team.member_removed', target, { teamId, before: { teamId }, after: source }, now), null);
    }
    for (const teamId of teamIds.filter((id) => !had.has(id))) {
      // An upsert: two first sign-ins at once must not fail on the membership's key.
      await tx.teamMembership.upsert({
        where: { userId_teamId: { userId: user.id, teamId } },
        create: { userId: user.id, teamId },
        update: {},
        select: { userId: true },
      });
      await appendAuditEvent(tx, auditEntry(SYSTEM_ACTOR, 'team.member_added', target, { teamId, after: { teamId, ...source } }, now), null);
    }
    const row = await tx.user.findUniqueOrThrow({ where: { id: user.id }, select: actorSelect });
    return toActor(row);
  });
}

/** The portal user id behind an SSO subject. */
export async function findUserIdByExternalId(subject: string, db: PrismaClient = prisma()): Promise<string | null> {
  const row = await db.user.findUnique({ where: { externalId: subject }, select: { id: true } });
  return row?.id ?? null;
}
