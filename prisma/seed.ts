import type { PrismaClient } from '@/lib/server/db/generated/client';
import type { AppRole } from '@/lib/identity/actor';

// Demo organisation for local mode and e2e tests. Ids are stable so that tests and links can name
// them. Re-running creates what is missing and leaves what admins changed alone.
export const SEED_TEAMS = [
  { id: 'team_payments', slug: 'payments', name: 'Payments', description: 'Card and bank payment APIs' },
  { id: 'team_platform', slug: 'platform', name: 'Platform', description: 'Shared infrastructure, CI/CD and the portal itself' },
  { id: 'team_data', slug: 'data', name: 'Data', description: 'Pipelines, warehouse and reporting' },
] as const;

type SeedUser = { id: string; email: string; name: string; roles: AppRole[]; teams: { id: string; lead?: boolean }[] };

export const SEED_USERS: readonly SeedUser[] = [
  { id: 'usr_minji_kim', email: 'minji.kim@example.com', name: 'Minji Kim', roles: ['ENGINEER'], teams: [{ id: 'team_payments' }] },
  { id: 'usr_jaewon_choi', email: 'jaewon.choi@example.com', name: 'Jae-won Choi', roles: ['ENGINEER'], teams: [{ id: 'team_payments', lead: true }] },
  { id: 'usr_daniel_okafor', email: 'daniel.okafor@example.com', name: 'Daniel Okafor', roles: ['ENGINEER'], teams: [{ id: 'team_data' }] },
  { id: 'usr_seoyeon_park', email: 'seoyeon.park@example.com', name: 'Seo-yeon Park', roles: ['SECURITY'], teams: [{ id: 'team_platform' }] },
  { id: 'usr_lucas_meyer', email: 'lucas.meyer@example.com', name: 'Lucas Meyer', roles: ['SECURITY'], teams: [{ id: 'team_platform' }] },
  { id: 'usr_priya_raman', email: 'priya.raman@example.com', name: 'Priya Raman', roles: ['OPS', 'ENGINEER'], teams: [{ id: 'team_platform' }] },
  { id: 'usr_hyunwoo_lee', email: 'hyunwoo.lee@example.com', name: 'Hyun-woo Lee', roles: ['ADMIN'], teams: [{ id: 'team_platform', lead: true }] },
];

/** Creates the demo teams and users when missing; safe to re-run. */
export async function seed(prisma: PrismaClient): Promise<void> {
  for (const team of SEED_TEAMS) {
    await prisma.team.upsert({ where: { id: team.id }, create: team, update: {} });
  }
  for (const user of SEED_USERS) {
    await prisma.user.upsert({
      where: { id: user.id },
      create: { id: user.id, email: user.email, name: user.name, roles: user.roles },
      update: {},
    });
    for (const team of user.teams) {
      await prisma.teamMembership.upsert({
        where: { userId_teamId: { userId: user.id, teamId: team.id } },
        create: { userId: user.id, teamId: team.id, isLead: team.lead ?? false },
        update: {},
      });
    }
  }
}
