import { describe, expect, it } from 'vitest';
import { APP_ROLES, type Actor, type AppRole, type TokenScope } from '@/lib/identity/actor';
import { can, isPublicAction, PERMISSIONS, tokenRefusal, type Action } from '@/lib/server/auth/permissions';

function actor(...roles: AppRole[]): Actor {
  return { id: 'u1', email: 'u1@example.com', name: 'User One', roles, teams: [] };
}

const ACTIONS = Object.keys(PERMISSIONS) as Action[];
const PUBLIC: Action[] = ['health.read', 'auth.signin', 'locale.set', 'messages.read'];
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
});

// The policy as the product describes it (README, docs/decisions), written out by hand and NOT
// derived from PERMISSIONS: a wrong entry in the table fails here. Columns: anonymous, ENGINEER,
// SECURITY, OPS, ADMIN; 'x' may, '.' may not. Object-level rules (whose request, which team) are
// tested where they live (lib/access, lib/grants) and in e2e/authz-matrix.spec.ts.
const MATRIX = `
  action                    anon ENG SEC OPS ADM
  health.read                x    x   x   x   x
  auth.signin                x    x   x   x   x
  locale.set                 x    x   x   x   x
  messages.read              x    x   x   x   x
  portal.view                .    x   x   x   x
  me.read                    .    x   x   x   x
  request.create             .    x   x   x   x
  request.read               .    x   x   x   x
  request.list.all           .    .   x   .   x
  request.decide             .    x   x   x   x
  request.cancel             .    x   x   x   x
  catalog.read               .    x   x   x   x
  catalog.write              .    .   x   .   x
  rules.read                 .    x   x   x   x
  rules.write                .    .   x   .   x
  control_plane.decide       .    .   x   .   x
  break_glass.review         .    .   x   .   x
  grant.give_back            .    x   x   x   x
  grant.revoke               .    .   x   .   x
  grant.shorten              .    x   x   x   x
  grant.reconcile.read       .    .   x   .   x
  grant.reconcile.fix        .    .   x   .   x
  admin.principals.update    .    .   .   .   x
  sandbox.view               .    x   x   x   x
  sandbox.tamper             .    .   x   .   x
  sandbox.simulate_use       .    .   x   .   x
  audit.read                 .    .   x   .   x
  audit.export               .    .   x   .   x
  audit.verify               .    .   x   .   x
  reports.read               .    .   x   .   x
  iam.audit.read             .    .   x   .   x
  iam.audit.scan             .    .   x   .   x
  iam.baseline.propose       .    .   x   .   x
  iam.baseline.approve       .    .   x   .   x
  iam.baseline.apply         .    .   x   .   x
  alarms.read                .    x   x   x   x
  alarms.state.set           .    .   .   x   x
  costs.read                 .    x   x   x   x
  costs.refresh              .    .   .   x   x
  deploy.read                .    x   x   x   x
  deploy.plan                .    .   .   x   x
  deploy.approve             .    .   x   x   x
  deploy.execute             .    .   .   x   x
  deploy.drift               .    .   .   x   x
  admin.users.read           .    .   .   .   x
  admin.users.update         .    .   .   .   x
  tokens.manage              .    x   x   x   x
  tokens.revoke.any          .    .   x   .   x
`;
const COLUMNS = [null, 'ENGINEER', 'SECURITY', 'OPS', 'ADMIN'] as const;
const EXPECTED = new Map(
  MATRIX.trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [action, ...cells] = line.trim().split(/\s+/);
      return [action!, cells.map((c) => c === 'x')] as const;
    }),
);

describe('PERMISSIONS against the independently written matrix', () => {
  it('names exactly the actions of the matrix', () => {
    expect([...ACTIONS].sort()).toEqual([...EXPECTED.keys()].sort());
  });

  it.each([...EXPECTED.entries()])('%s', (action, cells) => {
    expect(cells, `${action}: one cell per column`).toHaveLength(COLUMNS.length);
    const actual = COLUMNS.map((role) => can(role ? actor(role) : null, action as Action));
    expect(actual).toEqual(cells);
  });

  it('a user with several roles may do what any of them may', () => {
    for (const [action, cells] of EXPECTED) {
      const [, engineer, security, ops] = cells;
      expect(can(actor('ENGINEER', 'OPS'), action as Action), action).toBe(Boolean(engineer || ops));
      expect(can(actor('SECURITY', 'OPS'), action as Action), action).toBe(Boolean(security || ops));
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

describe('personal API tokens (docs/decisions/045-api-tokens.md)', () => {
  const withToken = (scopes: TokenScope[], ...roles: AppRole[]): Actor => ({ ...actor(...roles), token: { id: 'tok_1', scopes } });
  // Written here independently of TOKEN_SCOPE_OF: what each scope lets a token do, at most.
  const READ: Action[] = [
    'request.read',
    'request.list.all',
    'catalog.read',
    'rules.read',
    'grant.reconcile.read',
    'sandbox.view',
    'audit.read',
    'audit.export',
    'iam.audit.read',
    'alarms.read',
    'costs.read',
    'deploy.read',
    'reports.read',
  ];
  const REQUEST: Action[] = ['request.create', 'request.cancel', 'grant.give_back', 'grant.shorten'];
  const DECIDE: Action[] = ['request.decide'];

  it('allows a token with every scope exactly the reads, its own requests, decisions and who-am-I: nothing else, whatever the roles', () => {
    const all = withToken(['read', 'request', 'decide'], ...APP_ROLES);
    const allowed = ACTIONS.filter((a) => !isPublicAction(a) && can(all, a)).sort();
    expect(allowed).toEqual(['me.read', ...READ, ...REQUEST, ...DECIDE].sort());
    for (const a of ['tokens.manage', 'tokens.revoke.any', 'admin.users.update', 'grant.revoke', 'catalog.write', 'deploy.approve', 'portal.view'] as Action[])
      expect(can(all, a), a).toBe(false);
  });

  it.each([
    ['read', READ],
    ['request', REQUEST],
    ['decide', DECIDE],
  ] as [TokenScope, Action[]][])('limits a %s-only token to its actions (and me.read)', (scope, actions) => {
    const one = withToken([scope], ...APP_ROLES);
    expect(ACTIONS.filter((a) => !isPublicAction(a) && can(one, a)).sort()).toEqual(['me.read', ...actions].sort());
  });

  it("still needs the user's roles: an engineer's read token does not read the audit history", () => {
    expect(can(withToken(['read'], 'ENGINEER'), 'audit.read')).toBe(false);
    expect(can(withToken(['read'], 'SECURITY'), 'audit.read')).toBe(true);
    expect(can(withToken(['read'], 'ENGINEER'), 'request.create')).toBe(false);
    expect(can(actor('ENGINEER'), 'request.create')).toBe(true);
  });

  it('says why a token is refused: its scopes, or tokens never may', () => {
    expect(tokenRefusal({ id: 't', scopes: ['read'] }, 'request.create')).toBe(
      "This API token's scopes (read) do not allow request.create: it needs the request scope.",
    );
    expect(tokenRefusal({ id: 't', scopes: ['read', 'request', 'decide'] }, 'tokens.manage')).toBe(
      'API tokens cannot be used for tokens.manage; use the portal.',
    );
    expect(tokenRefusal({ id: 't', scopes: ['read'] }, 'request.read')).toBeNull();
  });
});
