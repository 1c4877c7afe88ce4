import { describe, expect, it, vi } from 'vitest';
import type { GrantDeps } from '@/lib/grants/service';
import type { Actor } from '@/lib/identity/actor';

// Revoke's reason is one rule with one status on both transports: the use case's 422 (UNPROCESSABLE),
// reached by the API route and the page's server action alike. The refusal comes before any write,
// so the store only has to find the grant: any other call fails the test.
const security: Actor = { id: 'usr_s', email: 's@example.com', name: 'S', roles: ['SECURITY'], teams: [] };
vi.mock('@/lib/server/auth/guards', () => ({ getActor: async () => security, authorize: () => {} }));
vi.mock('@/lib/server/http/origin', () => ({ requestOrigin: async () => ({ ip: '203.0.113.7', userAgent: null }) }));
vi.mock('next/cache', () => ({ revalidatePath: () => {} }));
const unexpected = (name: PropertyKey) => () => {
  throw new Error(`unexpected call: ${String(name)}`);
};
const only = <T extends object>(impl: Partial<T>) =>
  new Proxy(impl, { get: (target, name) => (name in target ? target[name as keyof T] : unexpected(name)) }) as T;
vi.mock('@/lib/server/grants', () => ({
  grantDeps: (): GrantDeps =>
    only<GrantDeps>({
      now: () => new Date(),
      store: only<GrantDeps['store']>({ find: async (id: string) => ({ id, requesterId: 'usr_e', status: 'ACTIVE' }) as never }),
    }),
  kickGrants: () => {},
}));

const { endGrantRoute } = await import('@/lib/server/grant-route');
const { revokeGrantAction } = await import('@/app/requests/actions');
const revoke = endGrantRoute('REVOKED');
const post = (body: unknown) =>
  revoke(
    new Request('http://portal.example/api/v1/grants/grt_1/revoke', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    }),
    {
      params: Promise.resolve({ id: 'grt_1' }),
    },
  );

describe('revoking without a reason', () => {
  it.each([{}, { comment: '' }, { comment: ' no ' }])('is 422 through the API and UNPROCESSABLE through the action: %j', async (body) => {
    const res = await post(body);
    expect(res.status).toBe(422);
    expect((await res.json()).error).toMatchObject({ code: 'UNPROCESSABLE', message: expect.stringMatching(/Say why the access is revoked/) });
    expect(await revokeGrantAction({ grantId: 'grt_1', ...body })).toMatchObject({
      ok: false,
      error: { code: 'UNPROCESSABLE', message: expect.stringMatching(/Say why the access is revoked/) },
    });
  });
});
