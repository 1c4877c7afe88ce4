import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '@/lib/audit/model';
import type { ControlPlaneChange } from '@/lib/control-plane/model';
import type { NewChange } from '@/lib/control-plane/proposal';
import type { AppRole } from '@/lib/identity/actor';
import type { IdentityStore, PrincipalMapping } from '@/lib/identity/ports';
import { proposeUserRoles, setPrincipal, setUserRoles } from '@/lib/identity/service';

const admin = { id: 'usr_admin', name: 'Admin' };

/** An in-memory identity store: a transaction works on a copy and keeps it only if the work succeeds. */
function fakeStore(users: { id: string; roles: AppRole[] }[], principals: Record<string, PrincipalMapping> = {}) {
  let state = { users: new Map(users.map((u) => [u.id, { ...u, name: u.id, email: `${u.id}@example.com` }])), principals: { ...principals } };
  const audit: AuditEntry[] = [];
  const proposals: NewChange[] = [];
  const store: IdentityStore = {
    async transaction(work) {
      const draft = { users: new Map([...state.users].map(([k, v]) => [k, { ...v }])), principals: { ...state.principals } };
      const events: AuditEntry[] = [];
      const proposed: NewChange[] = [];
      const result = await work({
        findUser: async (id) => draft.users.get(id) ?? null,
        setRoles: async (id, roles) => void (draft.users.get(id)!.roles = roles),
        findPrincipal: async (userId, accountId) => draft.principals[`${userId} ${accountId}`] ?? null,
        principalTaken: async (arn, userId) => Object.entries(draft.principals).some(([key, p]) => p.arn === arn && !key.startsWith(`${userId} `)),
        savePrincipal: async (userId, mapping) => void (draft.principals[`${userId} ${mapping.accountId}`] = mapping),
        removePrincipal: async (userId, accountId) => void delete draft.principals[`${userId} ${accountId}`],
        appendAudit: async (entry) => void events.push(entry),
        propose: async (change, author) => {
          proposed.push(change);
          return { ...change, id: `chg_${proposed.length}`, status: 'PROPOSED', authorId: author.id, authorName: author.name } as unknown as ControlPlaneChange;
        },
      });
      state = draft;
      audit.push(...events);
      proposals.push(...proposed);
      return result;
    },
  };
  return {
    store,
    audit,
    proposals,
    roles: (id: string) => state.users.get(id)?.roles,
    principal: (id: string, accountId: string) => state.principals[`${id} ${accountId}`],
  };
}

describe('identity use cases', () => {
  it('sets roles once, sorted, with one audit event; the same set again writes nothing', async () => {
    const f = fakeStore([{ id: 'usr_a', roles: ['ENGINEER'] }]);
    expect(await setUserRoles(f.store, 'usr_a', ['OPS', 'ENGINEER', 'OPS'], admin, null)).toBe(true);
    expect(f.roles('usr_a')).toEqual(['ENGINEER', 'OPS']);
    expect(f.audit).toMatchObject([{ action: 'user.roles_changed', before: { roles: ['ENGINEER'] }, after: { roles: ['ENGINEER', 'OPS'] } }]);
    expect(await setUserRoles(f.store, 'usr_a', ['OPS', 'ENGINEER'], admin, null)).toBe(true);
    expect(f.audit).toHaveLength(1);
    expect(await setUserRoles(f.store, 'usr_missing', ['OPS'], admin, null)).toBe(false);
  });

  it('proposes only a change that adds SECURITY or ADMIN, and never for an unknown user', async () => {
    const f = fakeStore([{ id: 'usr_a', roles: ['ENGINEER'] }]);
    expect(await proposeUserRoles(f.store, 'usr_a', ['ENGINEER', 'OPS'], admin, null)).toBeNull();
    expect(await proposeUserRoles(f.store, 'usr_a', ['SECURITY', 'ENGINEER'], admin, null)).toMatchObject({
      kind: 'USER_ROLES',
      targetKey: 'user:usr_a',
      before: ['ENGINEER'],
      payload: { userId: 'usr_a', roles: ['ENGINEER', 'SECURITY'] },
    });
    expect(f.roles('usr_a')).toEqual(['ENGINEER']);
    await expect(proposeUserRoles(f.store, 'usr_missing', ['ADMIN'], admin, null)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(proposeUserRoles(f.store, 'usr_a', ['ADMIN'], { id: null, name: 'system' }, null)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('maps a principal once per account; an ARN of another user is a CONFLICT and writes nothing', async () => {
    const accountId = '111122223333';
    const accounts = [accountId, '444455556666'];
    const f = fakeStore([
      { id: 'usr_a', roles: ['ENGINEER'] },
      { id: 'usr_b', roles: ['ENGINEER'] },
    ]);
    const mapping = { accountId, kind: 'IAM_ROLE' as const, name: 'data-eng', arn: `arn:aws:iam::${accountId}:role/data-eng` };
    expect(await setPrincipal(f.store, { userId: 'usr_a', accountId, principal: mapping }, admin, null, accounts)).toBe(true);
    expect(await setPrincipal(f.store, { userId: 'usr_a', accountId, principal: mapping }, admin, null, accounts)).toBe(true);
    expect(f.audit).toMatchObject([{ action: 'principal.updated', before: null, after: mapping }]);
    await expect(setPrincipal(f.store, { userId: 'usr_b', accountId, principal: mapping }, admin, null, accounts)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(f.principal('usr_b', accountId)).toBeUndefined();
    expect(await setPrincipal(f.store, { userId: 'usr_missing', accountId, principal: mapping }, admin, null, accounts)).toBe(false);
    expect(f.audit).toHaveLength(1);
    // An account the portal does not work in, or an ARN from another account than the row's.
    await expect(setPrincipal(f.store, { userId: 'usr_a', accountId: '999999999999', principal: null }, admin, null, accounts)).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
    });
    await expect(setPrincipal(f.store, { userId: 'usr_a', accountId: '444455556666', principal: mapping }, admin, null, accounts)).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
    });
    expect(f.principal('usr_a', '444455556666')).toBeUndefined();
    // Removing it is audited with the mapping it removed.
    expect(await setPrincipal(f.store, { userId: 'usr_a', accountId, principal: null }, admin, null, accounts)).toBe(true);
    expect(f.principal('usr_a', accountId)).toBeUndefined();
    expect(f.audit.at(-1)).toMatchObject({ action: 'principal.updated', before: mapping, after: null });
  });
});
