import type { AppRole } from '@/lib/identity/actor';

export interface SsoAccess {
  roles: AppRole[];
  teamSlugs: string[];
}

const TEAM_SLUG = /^[a-z][a-z0-9-]{1,39}$/;

/**
 * Turns the identity provider's groups into portal roles and teams.
 * Everyone who can sign in is at least an engineer; other roles come only from the role map.
 */
export function mapSsoGroups(groups: unknown, roleMap: ReadonlyMap<string, AppRole>, teamPrefix: string): SsoAccess {
  const list = Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : typeof groups === 'string' ? [groups] : [];
  const roles = new Set<AppRole>(['ENGINEER']);
  const teamSlugs = new Set<string>();
  for (const group of list) {
    const role = roleMap.get(group);
    if (role) roles.add(role);
    if (teamPrefix && group.startsWith(teamPrefix)) {
      const slug = group.slice(teamPrefix.length).toLowerCase();
      if (TEAM_SLUG.test(slug)) teamSlugs.add(slug);
    }
  }
  return { roles: [...roles].sort(), teamSlugs: [...teamSlugs].sort() };
}
