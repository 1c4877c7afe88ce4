import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Actor, TokenScope } from '@/lib/identity/actor';
import { generateApiToken } from '@/lib/tokens/token';

// A Bearer call's caller (getApiActor), with the repositories it reads replaced by in-memory tables:
// the token's user is re-read like a session's, so a role change re-scopes and a deactivation refuses.
const users = new Map<string, Actor & { active: boolean }>();
const tokens = new Map<string, { id: string; userId: string; scopes: TokenScope[]; expiresAt: Date; revokedAt: Date | null; lastUsedAt: Date | null }>();
const uses: { id: string; at: Date }[] = [];
let sessionActor: Actor | null = null;
vi.mock('@/lib/server/db/repositories/users', () => ({
  findActiveActor: async (id: string) => {
    const u = users.get(id);
    if (!u || !u.active) return null;
    const { active: _active, ...actor } = u;
    return structuredClone(actor);
  },
}));
vi.mock('@/lib/server/db/repositories/api-tokens', () => ({
  findApiTokenByHash: async (hash: string) => structuredClone(tokens.get(hash) ?? null),
  recordApiTokenUse: async (id: string, _actor: unknown, _origin: unknown, at: Date) => {
    uses.push({ id, at });
    return true;
  },
}));
vi.mock('@/lib/server/http/origin', () => ({ requestOrigin: async () => ({ ip: null, userAgent: null }) }));
vi.mock('next/headers', () => ({ cookies: async () => ({ get: () => (sessionActor ? { value: 'cookie' } : undefined) }) }));

const { getApiActor, forgetApiToken } = await import('@/lib/server/auth/tokens');
const { authorize } = await import('@/lib/server/auth/guards');

const minji = { id: 'usr_minji', email: 'minji@example.com', name: 'Minji', roles: ['ENGINEER', 'SECURITY'] as Actor['roles'], teams: [], active: true };
const bearer = (token: string) =>
  new Request('http://portal.example/api/v1/me', { headers: { authorization: `Bearer ${token}`, cookie: 'next-auth.session-token=x' } });

describe('getApiActor', () => {
  let clock = Date.now();
  let token: string;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    clock += 3600_000;
    vi.setSystemTime(clock);
    users.clear();
    tokens.clear();
    uses.length = 0;
    users.set(minji.id, structuredClone(minji));
    const made = generateApiToken();
    token = made.token;
    tokens.set(made.hash, {
      id: `tok_${clock}`,
      userId: minji.id,
      scopes: ['read'],
      expiresAt: new Date(clock + 86_400_000),
      revokedAt: null,
      lastUsedAt: null,
    });
  });
  afterEach(() => vi.useRealTimers());

  it("gives the token's user with the token's scopes, which authorize() then applies", async () => {
    const actor = await getApiActor(bearer(token));
    expect(actor).toMatchObject({ id: minji.id, roles: ['ENGINEER', 'SECURITY'], token: { scopes: ['read'] } });
    expect(() => authorize(actor, 'request.read')).not.toThrow();
    expect(() => authorize(actor, 'audit.read')).not.toThrow();
    expect(() => authorize(actor, 'request.create')).toThrow("This API token's scopes (read) do not allow request.create: it needs the request scope.");
    expect(() => authorize(actor, 'tokens.manage')).toThrow('API tokens cannot be used for tokens.manage; use the portal.');
  });

  it('re-reads the user: a role change re-scopes the token, a deactivation refuses it (within 3 s)', async () => {
    const before = await getApiActor(bearer(token));
    expect(() => authorize(before, 'audit.read')).not.toThrow();
    users.get(minji.id)!.roles = ['ENGINEER'];
    vi.setSystemTime(clock + 3_500);
    const after = await getApiActor(bearer(token));
    expect(() => authorize(after, 'audit.read')).toThrow(/Your roles do not allow audit.read/);
    users.get(minji.id)!.active = false;
    vi.setSystemTime(clock + 7_000);
    await expect(getApiActor(bearer(token))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses an expired, a revoked, an unknown or a malformed token with 401, whatever cookie comes along', async () => {
    const row = [...tokens.values()][0]!;
    // One character changed (never to itself: a token already ending in A would be left as it is).
    const altered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    await expect(getApiActor(bearer(altered))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(getApiActor(bearer('not-a-token'))).rejects.toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('Bearer gth_') });
    await expect(getApiActor(new Request('http://portal.example/api/v1/me', { headers: { authorization: `Basic ${btoa('a:b')}` } }))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(await getApiActor(bearer(token))).not.toBeNull();
    row.revokedAt = new Date();
    forgetApiToken(row.id);
    await expect(getApiActor(bearer(token))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    row.revokedAt = null;
    row.expiresAt = new Date(clock + 1000);
    vi.setSystemTime(clock + 4_000);
    await expect(getApiActor(bearer(token))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('stamps the use at most once a minute per token in this process', async () => {
    await getApiActor(bearer(token));
    await getApiActor(bearer(token));
    vi.setSystemTime(clock + 30_000);
    await getApiActor(bearer(token));
    expect(uses).toHaveLength(1);
    vi.setSystemTime(clock + 61_000);
    await getApiActor(bearer(token));
    expect(uses.map((u) => u.at.getTime() - clock)).toEqual([0, 61_000]);
  });

  it('without an Authorization header, is the session (cookies), as before', async () => {
    sessionActor = null;
    expect(await getApiActor(new Request('http://portal.example/api/v1/me'))).toBeNull();
  });
});
