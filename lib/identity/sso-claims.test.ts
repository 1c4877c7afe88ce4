import { describe, expect, it } from 'vitest';
import type { AppRole } from '@/lib/identity/actor';
import { mapSsoGroups } from '@/lib/identity/sso-claims';

const roleMap: ReadonlyMap<string, AppRole> = new Map([
  ['gh-admins', 'ADMIN'],
  ['gh-security', 'SECURITY'],
  ['gh-ops', 'OPS'],
]);

describe('mapSsoGroups', () => {
  it('makes everyone an engineer without teams when there are no groups', () => {
    for (const groups of [undefined, null, [], 42, { 0: 'gh-admins' }]) {
      expect(mapSsoGroups(groups, roleMap, 'team-')).toEqual({ roles: ['ENGINEER'], teamSlugs: [] });
    }
  });

  it('adds mapped roles, sorted and without duplicates', () => {
    expect(mapSsoGroups(['gh-security', 'gh-admins', 'gh-admins', 'unmapped'], roleMap, 'team-')).toEqual({
      roles: ['ADMIN', 'ENGINEER', 'SECURITY'],
      teamSlugs: [],
    });
  });

  it('accepts a single group given as a string', () => {
    expect(mapSsoGroups('gh-ops', roleMap, 'team-')).toEqual({ roles: ['ENGINEER', 'OPS'], teamSlugs: [] });
    expect(mapSsoGroups('team-payments', roleMap, 'team-')).toEqual({ roles: ['ENGINEER'], teamSlugs: ['payments'] });
  });

  it('ignores entries that are not strings', () => {
    expect(mapSsoGroups([7, null, { name: 'gh-admins' }, ['gh-admins'], 'gh-ops'], roleMap, 'team-')).toEqual({
      roles: ['ENGINEER', 'OPS'],
      teamSlugs: [],
    });
  });

  it('matches role-map groups exactly (case-sensitive)', () => {
    expect(mapSsoGroups(['GH-ADMINS', 'gh-admins '], roleMap, 'team-').roles).toEqual(['ENGINEER']);
  });

  it('turns prefixed groups into lower-cased team slugs, sorted and without duplicates', () => {
    expect(mapSsoGroups(['team-payments', 'team-Checkout', 'team-checkout', 'team-ab', 'other'], roleMap, 'team-')).toEqual({
      roles: ['ENGINEER'],
      teamSlugs: ['ab', 'checkout', 'payments'],
    });
  });

  it('drops team slugs that are not valid slugs', () => {
    const invalid = ['team-', 'team-a', 'team-1payments', 'team--x', 'team-pay_ments', 'team-pay ments', `team-a${'b'.repeat(40)}`];
    expect(mapSsoGroups(invalid, roleMap, 'team-').teamSlugs).toEqual([]);
    expect(mapSsoGroups([`team-a${'b'.repeat(39)}`], roleMap, 'team-').teamSlugs).toEqual([`a${'b'.repeat(39)}`]);
  });

  it('matches the prefix case-sensitively', () => {
    expect(mapSsoGroups(['TEAM-payments', 'Team-payments'], roleMap, 'team-').teamSlugs).toEqual([]);
  });

  it('uses the configured prefix and maps no teams with an empty prefix', () => {
    expect(mapSsoGroups(['squad-payments', 'team-checkout'], roleMap, 'squad-').teamSlugs).toEqual(['payments']);
    expect(mapSsoGroups(['payments', 'team-checkout'], roleMap, '').teamSlugs).toEqual([]);
  });

  it('gives a group both a role and a team when it is in the map and prefixed', () => {
    const map: ReadonlyMap<string, AppRole> = new Map([['team-sre', 'OPS']]);
    expect(mapSsoGroups(['team-sre'], map, 'team-')).toEqual({ roles: ['ENGINEER', 'OPS'], teamSlugs: ['sre'] });
  });
});
