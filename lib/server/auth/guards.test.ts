import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Actor } from '@/lib/identity/actor';

// The session check every page, action and route goes through (getActor -> actorForSession), with
// the two repositories it reads replaced by in-memory tables.
const users = new Map<string, Actor & { active: boolean }>();
const revoked = new Set<string>();
vi.mock('@/lib/server/db/repositories/users', () => ({
  findActiveActor: async (id: string) => {
    const u = users.get(id);
    if (!u || !u.active) return null;
    const { active: _active, ...actor } = u;
    return structuredClone(actor);
  },
}));
vi.mock('@/lib/server/db/repositories/sessions', () => ({
  isSessionRevoked: async (id: string) => revoked.has(id),
  revokeSession: async (s: { id: string }) => void revoked.add(s.id),
}));

const { actorForSession, endSession } = await import('@/lib/server/auth/guards');

const ana = { id: 'usr_ana', email: 'ana@example.com', name: 'Ana', roles: ['ENGINEER', 'SECURITY'] as Actor['roles'], teams: [], active: true };

describe('actorForSession', () => {
  // The caches live for the process: each test starts an hour after the previous one.
  let clock = Date.now();
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    clock += 3600_000;
    vi.setSystemTime(clock);
    users.clear();
    revoked.clear();
    users.set(ana.id, structuredClone(ana));
  });
  afterEach(() => vi.useRealTimers());

  it('ends a session on sign-out: this process refuses it at once, another within 5 s (database is the truth)', async () => {
    expect((await actorForSession({ uid: 'usr_ana', sid: 's1' }))?.id).toBe('usr_ana');
    await endSession({ uid: 'usr_ana', sid: 's1', exp: Math.floor(Date.now() / 1000) + 3600 });
    expect(revoked.has('s1')).toBe(true);
    expect(await actorForSession({ uid: 'usr_ana', sid: 's1' })).toBeNull();

    // Another replica: the row appears without this process hearing of it.
    expect((await actorForSession({ uid: 'usr_ana', sid: 's2' }))?.id).toBe('usr_ana');
    revoked.add('s2');
    vi.advanceTimersByTime(5_000);
    expect(await actorForSession({ uid: 'usr_ana', sid: 's2' })).toBeNull();
    // Other sessions of the same user are not ended by it.
    expect((await actorForSession({ uid: 'usr_ana', sid: 's3' }))?.id).toBe('usr_ana');
  });

  it('takes roles and the active flag from the database: a role change or a deactivation applies within 5 s', async () => {
    expect((await actorForSession({ uid: 'usr_ana', sid: 's4' }))?.roles).toEqual(['ENGINEER', 'SECURITY']);
    users.get('usr_ana')!.roles = ['ENGINEER'];
    vi.advanceTimersByTime(5_000);
    expect((await actorForSession({ uid: 'usr_ana', sid: 's4' }))?.roles).toEqual(['ENGINEER']);
    users.get('usr_ana')!.active = false;
    vi.advanceTimersByTime(5_000);
    expect(await actorForSession({ uid: 'usr_ana', sid: 's4' })).toBeNull();
  });

  it('ignores a sign-out event without a session id', async () => {
    await endSession({ uid: 'usr_ana' });
    expect(revoked.size).toBe(0);
  });
});
