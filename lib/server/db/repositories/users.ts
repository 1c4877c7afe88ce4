import 'server-only';
import type { Actor, AppRole } from '@/lib/identity/actor';
import { prisma } from '@/lib/server/db/db';
import type { PrismaClient } from '@/lib/server/db/generated/client';

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

/** Replaces a user's roles; returns false when the user does not exist. */
export async function setUserRoles(id: string, roles: AppRole[], db: PrismaClient = prisma()): Promise<boolean> {
  const { count } = await db.user.updateMany({ where: { id }, data: { roles: [...new Set(roles)].sort() } });
  return count === 1;
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
 * identity provider's groups at every sign-in (teams unknown to the portal are ignored).
 * Returns null for a deactivated user.
 */
export async function upsertSsoUser(identity: SsoIdentity, db: PrismaClient = prisma()): Promise<Actor | null> {
  return db.$transaction(async (tx) => {
    const existing = await tx.user.findFirst({
      where: { OR: [{ externalId: identity.subject }, { email: identity.email }] },
      select: { id: true, active: true },
    });
    if (existing && !existing.active) return null;
    const user = existing
      ? await tx.user.update({
          where: { id: existing.id },
          data: { externalId: identity.subject, email: identity.email, name: identity.name, roles: identity.roles, lastLoginAt: new Date() },
          select: { id: true },
        })
      : await tx.user.create({
          data: { externalId: identity.subject, email: identity.email, name: identity.name, roles: identity.roles, lastLoginAt: new Date() },
          select: { id: true },
        });
    const teams = await tx.team.findMany({ where: { slug: { in: identity.teamSlugs } }, select: { id: true } });
    const teamIds = teams.map((t) => t.id);
    await tx.teamMembership.deleteMany({ where: { userId: user.id, teamId: { notIn: teamIds } } });
    for (const teamId of teamIds) {
      await tx.teamMembership.upsert({ where: { userId_teamId: { userId: user.id, teamId } }, create: { userId: user.id, teamId }, update: {} });
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
