import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Actor } from '@/lib/identity/actor';

// The routes as Next.js serves them, with the session replaced by a security user: the query is
// refused before anything is read, so no database is needed.
const actor: Actor = { id: 'usr_seoyeon_park', email: 'seoyeon.park@example.com', name: 'Seo-yeon Park', roles: ['SECURITY'], teams: [] };
vi.mock('@/lib/server/auth/guards', async () => {
  const { can } = await import('@/lib/server/auth/permissions');
  const { AppError } = await import('@/lib/errors');
  return {
    getActor: async () => actor,
    authorize: (a: Actor | null, action: Parameters<typeof can>[1]) => {
      if (!a || !can(a, action)) throw new AppError('FORBIDDEN', 'no');
    },
  };
});

const context = { params: Promise.resolve({}) };

async function call(path: string) {
  const { GET } = path.startsWith('/api/v1/audit/export') ? await import('@/app/api/v1/audit/export/route') : await import('@/app/api/v1/audit/route');
  const res = await GET(new Request(`http://localhost${path}`), context);
  return { status: res.status, body: (await res.json()) as { error: { code: string; message: string } } };
}

describe('GET /api/v1/audit and /api/v1/audit/export', () => {
  beforeEach(() => vi.spyOn(console, 'error'));

  it.each([
    ['/api/v1/audit?requestId=req_123', /^requestId: unknown parameter/],
    ['/api/v1/audit?action=request.created&page=2', /^page: unknown parameter/],
    ['/api/v1/audit?action=request.read', /^action: unknown action$/],
    ['/api/v1/audit/export?format=csv&requestId=req_123', /^requestId: unknown parameter/],
    ['/api/v1/audit/export?format=json&limit=10', /^limit: unknown parameter/],
    ['/api/v1/audit/export?action=nope', /^action: unknown action$/],
    // PostgreSQL refuses U+0000 in text: a control character is the caller's error, named, not a 500.
    ['/api/v1/audit?q=%00', /^q: holds a control character \(U\+0000\)/],
    ['/api/v1/audit?actor=a%01b', /^actor: holds a control character \(U\+0001\)/],
    ['/api/v1/audit/export?team=%00&format=csv', /^team: holds a control character/],
  ])('%s answers 400 naming the parameter', async (path, message) => {
    const { status, body } = await call(path);
    expect(status).toBe(400);
    expect(body.error.code).toBe('BAD_REQUEST');
    expect(body.error.message).toMatch(message);
    expect(console.error).not.toHaveBeenCalled();
  });
});
