import { describe, expect, it } from 'vitest';
import { APP_ROLES, type Actor, type AppRole } from '@/lib/identity/actor';
import { can, isPublicAction, PERMISSIONS, type Action } from '@/lib/server/auth/permissions';

function actor(...roles: AppRole[]): Actor {
  return { id: 'u1', email: 'u1@example.com', name: 'User One', roles, teams: [] };
}

const ACTIONS = Object.keys(PERMISSIONS) as Action[];
const PUBLIC: Action[] = ['health.read', 'auth.signin', 'locale.set'];
const SIGNED_IN: Action[] = ['portal.view', 'me.read'];
const ADMIN_ONLY: Action[] = ['admin.users.read', 'admin.users.update'];

describe('PERMISSIONS', () => {
  it('makes every action public or gives it a non-empty list of known roles', () => {
    expect(ACTIONS.length).toBeGreaterThan(0);
    for (const action of ACTIONS) {
      const rule: unknown = PERMISSIONS[action];
      if (rule === 'public') continue;
      expect(Array.isArray(rule), action).toBe(true);
      const roles = rule as readonly string[];
      expect(roles.length, action).toBeGreaterThan(0);
      for (const role of roles) expect(APP_ROLES, `${action}: ${role}`).toContain(role);
      expect(new Set(roles).size, `${action} lists a role twice`).toBe(roles.length);
    }
  });

  it('has exactly the public actions listed here', () => {
    expect(ACTIONS.filter(isPublicAction).sort()).toEqual([...PUBLIC].sort());
  });

  it('lets ADMIN do every action', () => {
    for (const action of ACTIONS) expect(can(actor('ADMIN'), action), action).toBe(true);
  });

  it('agrees with the table for every action and role', () => {
    for (const action of ACTIONS) {
      const rule = PERMISSIONS[action];
      for (const role of APP_ROLES) {
        const expected = rule === 'public' || (rule as readonly AppRole[]).includes(role);
        expect(can(actor(role), action), `${role} ${action}`).toBe(expected);
      }
    }
  });
});

describe('isPublicAction', () => {
  it('is true only for public actions', () => {
    for (const action of PUBLIC) expect(isPublicAction(action), action).toBe(true);
    for (const action of [...SIGNED_IN, ...ADMIN_ONLY]) expect(isPublicAction(action), action).toBe(false);
  });
});

describe('can', () => {
  it('allows anonymous only on public actions', () => {
    for (const action of ACTIONS) expect(can(null, action), action).toBe(isPublicAction(action));
    for (const action of PUBLIC) expect(can(null, action), action).toBe(true);
    for (const action of [...SIGNED_IN, ...ADMIN_ONLY]) expect(can(null, action), action).toBe(false);
  });

  it('allows every role on signed-in actions', () => {
    for (const role of APP_ROLES) for (const action of SIGNED_IN) expect(can(actor(role), action), `${role} ${action}`).toBe(true);
  });

  it.each(['ENGINEER', 'SECURITY', 'OPS'] as const)('refuses %s on admin actions', (role) => {
    for (const action of ADMIN_ONLY) expect(can(actor(role), action), action).toBe(false);
  });

  it('allows ADMIN on admin actions, also alongside other roles', () => {
    for (const action of ADMIN_ONLY) {
      expect(can(actor('ADMIN'), action), action).toBe(true);
      expect(can(actor('ENGINEER', 'ADMIN'), action), action).toBe(true);
      expect(can(actor('SECURITY', 'OPS'), action), action).toBe(false);
    }
  });

  it('refuses a signed-in user with no roles everything but public actions', () => {
    for (const action of ACTIONS) expect(can(actor(), action), action).toBe(isPublicAction(action));
  });
});
