import { afterEach, describe, expect, it, vi } from 'vitest';

// authOptions() reads the validated env once per module instance: each case loads fresh modules
// under its own process.env.
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  vi.resetModules();
});

async function optionsWith(env: Record<string, string>) {
  process.env = { ...saved, ...env };
  vi.resetModules();
  const { authOptions } = await import('@/lib/server/auth/options');
  return authOptions();
}

describe('authOptions', () => {
  it('configures the OIDC provider entirely from env, with PKCE and state', async () => {
    const options = await optionsWith({
      GATEHOUSE_AUTH: 'oidc',
      OIDC_ISSUER: 'https://login.example.com/realms/main/',
      OIDC_CLIENT_ID: 'gatehouse',
      OIDC_CLIENT_SECRET: 'client-secret-value',
      OIDC_NAME: 'Example SSO',
      NEXTAUTH_SECRET: 'x'.repeat(40),
    });
    expect(options.providers).toHaveLength(1);
    const provider = options.providers[0] as unknown as Record<string, unknown>;
    expect(provider).toMatchObject({
      id: 'oidc',
      name: 'Example SSO',
      type: 'oauth',
      wellKnown: 'https://login.example.com/realms/main/.well-known/openid-configuration',
      clientId: 'gatehouse',
      clientSecret: 'client-secret-value',
      idToken: true,
      checks: ['pkce', 'state'],
    });
    expect(options.secret).toBe('x'.repeat(40));
    expect(options.session).toEqual({ strategy: 'jwt', maxAge: 8 * 3600 });
    const profile = (provider.profile as (p: Record<string, unknown>) => unknown)({ sub: 'abc', email: 'a@example.com', preferred_username: 'alice' });
    expect(profile).toEqual({ id: 'abc', email: 'a@example.com', name: 'alice' });
    // A profile without an email is refused rather than creating a nameless user.
    expect(() => (provider.profile as (p: Record<string, unknown>) => unknown)({ sub: 'abc' })).toThrow();
  });

  it('offers the local user picker in local mode, and puts the user id in the token at sign-in', async () => {
    const dir = (await import('node:fs')).mkdtempSync((await import('node:path')).join((await import('node:os')).tmpdir(), 'gh-auth-'));
    const options = await optionsWith({ GATEHOUSE_AUTH: 'local', GATEHOUSE_DATA_DIR: dir, NODE_ENV: 'test' });
    // next-auth merges `options` over the provider's defaults when it starts: the id users sign in with is 'local'.
    expect(options.providers.map((p) => ({ ...p, ...(p as { options?: object }).options }).id)).toEqual(['local']);
    // No NEXTAUTH_SECRET: a key is generated once into the data directory and reused.
    expect(options.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await optionsWith({ GATEHOUSE_AUTH: 'local', GATEHOUSE_DATA_DIR: dir, NODE_ENV: 'test' })).secret).toBe(options.secret);
    const token = await options.callbacks!.jwt!({
      token: {},
      user: { id: 'usr_1' },
      account: { provider: 'local', type: 'credentials', providerAccountId: 'usr_1' },
    } as never);
    expect(token.uid).toBe('usr_1');
    // The sign-in time, for the prod step-up (docs/decisions/046-step-up.md): local sign-in is now.
    expect(token.authTime).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) - 5);
    expect(token.authTime).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    // Later calls (no account) keep the token as it is: the sign-in time does not move.
    expect(await options.callbacks!.jwt!({ token: { uid: 'usr_1', authTime: 1_700_000_000 } } as never)).toEqual({ uid: 'usr_1', authTime: 1_700_000_000 });
  });

  it("takes a single sign-on's sign-in time from the id_token's auth_time, never from the clock", async () => {
    process.env = { ...saved, GATEHOUSE_AUTH: 'local', NODE_ENV: 'test' };
    vi.resetModules();
    const { signInTimeOf } = await import('@/lib/server/auth/step-up');
    const now = new Date('2026-12-07T10:00:00Z');
    const seconds = now.getTime() / 1000;
    expect(signInTimeOf('local', undefined, now)).toBe(seconds);
    // The identity provider's word: when the user last authenticated there (an hour ago is an old session).
    expect(signInTimeOf('oidc', { sub: 'a', auth_time: seconds - 3600 }, now)).toBe(seconds - 3600);
    expect(signInTimeOf('oidc', { sub: 'a', auth_time: seconds + 30 }, now)).toBe(seconds + 30);
    // No auth_time, not a number, or further in the future than clock skew explains: no sign-in time (old).
    for (const claims of [{ sub: 'a' }, { auth_time: String(seconds) }, { auth_time: seconds + 3600 }, null, undefined]) {
      expect(signInTimeOf('oidc', claims, now)).toBeUndefined();
    }
  });

  it('refuses to start with local sign-in in production unless allowed', async () => {
    await expect(optionsWith({ GATEHOUSE_AUTH: 'local', NODE_ENV: 'production', GATEHOUSE_ALLOW_LOCAL_SIGNIN: '' })).rejects.toThrow(
      /local sign-in .* refused in production/,
    );
  });
});
