import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { Actor } from '@/lib/identity/actor';
import { safeText } from '@/lib/security/text';

// The one factory of POST /:id/<verb> routes: the path and the body are read with the domain schema.
const security: Actor = { id: 'usr_s', email: 's@example.com', name: 'S', roles: ['SECURITY'], teams: [] };
const origin = { ip: '203.0.113.7', userAgent: 'test' };
vi.mock('@/lib/server/auth/guards', () => ({ getActor: async () => security, authorize: () => {} }));
vi.mock('@/lib/server/http/origin', () => ({ requestOrigin: async () => origin }));

const { idRoute } = await import('@/lib/server/http/id-route');

// Shaped like the domain's decision schemas: an id, what the path says, and a comment.
const decideThingSchema = z.object({
  thingId: safeText(z.string().min(1).max(64)),
  kind: z.enum(['APPROVE', 'REJECT']),
  comment: safeText(z.string().trim().max(1000)).default(''),
});
const seen: unknown[] = [];
const approve = idRoute(
  'request.decide',
  decideThingSchema,
  'thingId',
  async (input, actor, from) => {
    seen.push([input, actor.id, from]);
    return { ok: true };
  },
  { kind: 'APPROVE' },
);
const post = (id: string, body?: unknown) =>
  approve(
    new Request(`http://portal.example/api/v1/things/${id}/approve`, {
      method: 'POST',
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    }),
    {
      params: Promise.resolve({ id }),
    },
  );
const refusal = async (res: Response) => [res.status, (await res.json()).error.message as string];

describe('idRoute()', () => {
  it('runs the use case with the path id, the fixed fields, the parsed body, the actor and the origin', async () => {
    seen.length = 0;
    expect((await post('thing_1', { comment: '  looks right  ' })).status).toBe(200);
    expect((await post('thing_2')).status).toBe(200);
    expect(seen).toEqual([
      [{ thingId: 'thing_1', kind: 'APPROVE', comment: 'looks right' }, 'usr_s', origin],
      [{ thingId: 'thing_2', kind: 'APPROVE', comment: '' }, 'usr_s', origin],
    ]);
  });

  it('refuses a bad id (named id), a bad comment, unknown keys and keys the path fills, running nothing', async () => {
    seen.length = 0;
    expect(await refusal(await post('thing\u0000', {}))).toEqual([400, expect.stringMatching(/^id: /)]);
    expect(await refusal(await post('t'.repeat(65), {}))).toEqual([400, expect.stringMatching(/^id: /)]);
    expect(await refusal(await post('thing_1', { comment: 'no\u0000' }))).toEqual([400, expect.stringMatching(/^comment: /)]);
    expect((await post('thing_1', { comment: 'x'.repeat(1001) })).status).toBe(400);
    expect((await post('thing_1', { comment: 'ok', extra: true })).status).toBe(400);
    expect((await post('thing_1', { kind: 'REJECT' })).status).toBe(400);
    expect((await post('thing_1', { thingId: 'thing_2' })).status).toBe(400);
    expect((await post('thing_1', ['comment'])).status).toBe(400);
    expect(seen).toEqual([]);
  });
});
