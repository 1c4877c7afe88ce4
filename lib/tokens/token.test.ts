import { describe, expect, it } from 'vitest';
import { findCredentials } from '@/lib/security/credential-patterns.mjs';
import { createTokenSchema } from '@/lib/tokens/schemas';
import { generateApiToken, hashApiToken, looksLikeApiToken } from '@/lib/tokens/token';

describe('API tokens', () => {
  it('are gth_ and 256 random bits, stored as their SHA-256, told apart by the last four characters', () => {
    const a = generateApiToken();
    const b = generateApiToken();
    expect(a.token).toMatch(/^gth_[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
    expect(a.hash).toBe(hashApiToken(a.token));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hint).toBe(a.token.slice(-4));
    expect(looksLikeApiToken(a.token)).toBe(true);
    expect(looksLikeApiToken(`${a.token}x`)).toBe(false);
    expect(looksLikeApiToken(a.token.replace('gth_', 'ghp_'))).toBe(false);
  });

  it('are recognised as credentials: refused in free text and found by the secret scan', () => {
    const { token } = generateApiToken();
    expect(findCredentials(`my token is ${token} ok`, { freeText: false }).map((f) => f.name)).toEqual(['Gatehouse API token']);
  });
});

describe('createTokenSchema', () => {
  it('takes a name, at least one known scope (in a fixed order) and 1–90 days, 30 by default', () => {
    expect(createTokenSchema.parse({ name: ' laptop ', scopes: ['decide', 'read'] })).toEqual({
      name: 'laptop',
      scopes: ['read', 'decide'],
      expiresInDays: 30,
    });
    expect(createTokenSchema.parse({ name: 'ci', scopes: 'read', expiresInDays: '90' })).toEqual({ name: 'ci', scopes: ['read'], expiresInDays: 90 });
  });

  it.each([
    [{ name: '', scopes: ['read'] }, 'name'],
    [{ name: 'x', scopes: [] }, 'scopes'],
    [{ name: 'x' }, 'scopes'],
    [{ name: 'x', scopes: ['admin'] }, 'scopes.0'],
    [{ name: 'x', scopes: ['read'], expiresInDays: 91 }, 'expiresInDays'],
    [{ name: 'x', scopes: ['read'], expiresInDays: 0 }, 'expiresInDays'],
    [{ name: 'x', scopes: ['read'], expiresInDays: 1.5 }, 'expiresInDays'],
  ])('refuses %j at %s', (input, path) => {
    const result = createTokenSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path.join('.')).toBe(path);
  });
});
