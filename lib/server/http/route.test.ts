import { describe, expect, it, vi } from 'vitest';
import type { Actor } from '@/lib/identity/actor';

// The one route wrapper's strict reading of API writes, and the request-creation route on top of it.
// Every case here is refused before a use case runs, so no database is needed.
const engineer: Actor = { id: 'usr_e', email: 'e@example.com', name: 'E', roles: ['ENGINEER'], teams: [] };
vi.mock('@/lib/server/auth/guards', () => ({ getActor: async () => engineer, authorize: () => {} }));

const { route } = await import('@/lib/server/http/route');
const { POST: createRequest } = await import('@/app/api/v1/requests/route');
const { POST: cancelRequest } = await import('@/app/api/v1/requests/[id]/cancel/route');

const seen: unknown[] = [];
const echo = route('request.create', async ({ body }) => {
  seen.push(body);
  return { ok: true };
});
const call = (handler: typeof echo, body: BodyInit | null, contentType: string | null = 'application/json', params: Record<string, string> = {}) =>
  handler(new Request('http://portal.example/api/v1/x', { method: 'POST', body, headers: contentType ? { 'content-type': contentType } : {} }), {
    params: Promise.resolve(params as never),
  });

const BASE = { type: 'SECRET_READ', secretId: 'sec_x', justification: 'Checking the payout incident', durationMinutes: 60 };

describe('route(): API write bodies', () => {
  it('hands the parsed JSON to the handler, or undefined when there is no body', async () => {
    seen.length = 0;
    expect((await call(echo, '{"a":1}')).status).toBe(200);
    expect((await call(echo, '{"a":1}', 'application/merge-patch+json; charset=utf-8')).status).toBe(200);
    expect((await call(echo, null, null)).status).toBe(200);
    expect(seen).toEqual([{ a: 1 }, { a: 1 }, undefined]);
  });

  it('answers 415 unless the body is JSON, 413 above 64 KiB, 400 for bad JSON or deep nesting', async () => {
    const status = async (...args: Parameters<typeof call> extends [unknown, ...infer R] ? R : never) => {
      const res = await call(echo, ...args);
      return [res.status, (await res.json()).error?.code];
    };
    expect(await status('{"a":1}', 'text/plain')).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    expect(await status('a=1', 'application/x-www-form-urlencoded')).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    expect(await status('{"a":1}', null)).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    expect(await status(JSON.stringify({ a: 'x'.repeat(70_000) }))).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(await status('{"a":')).toEqual([400, 'BAD_REQUEST']);
    expect(await status(JSON.stringify({ a: { b: { c: { d: { e: { f: 1 } } } } } }))).toEqual([200, undefined]);
    expect(await status(JSON.stringify({ a: { b: { c: { d: { e: { f: { g: 1 } } } } } } }))).toEqual([400, 'BAD_REQUEST']);
    expect(await status('['.repeat(10_000) + ']'.repeat(10_000))).toEqual([400, 'BAD_REQUEST']);
  });
});

describe('POST /api/v1/requests and /requests/:id/cancel', () => {
  const refusal = async (res: Response) => [res.status, (await res.json()).error.message];

  it.each([
    [{ ...BASE, durationMinutes: '0x3c' }, 400, /durationMinutes/],
    [{ ...BASE, durationMinutes: [60] }, 400, /durationMinutes/],
    [{ ...BASE, durationMinutes: '6e1' }, 400, /durationMinutes/],
    [{ ...BASE, role: 'ADMIN' }, 400, /role/],
    [{ ...BASE, justification: 'Checking the \u0000 incident' }, 400, /^justification: .*U\+0000/],
    [{ ...BASE, justification: `Checking with ${['AKIA', 'Z7Q2M4XK', 'P9LWR3TB'].join('')}` }, 422, /^justification: .*credential/],
  ])('refuses %j', async (body, status, message) => {
    const [s, m] = await refusal(await call(createRequest as typeof echo, JSON.stringify(body)));
    expect(s).toBe(status);
    expect(m).toMatch(message);
  });

  it('refuses a control character in the id or the comment, and unknown keys', async () => {
    const cancel = (id: string, body: unknown) => call(cancelRequest as unknown as typeof echo, JSON.stringify(body), 'application/json', { id });
    expect(await refusal(await cancel('req\u0000', {}))).toEqual([400, expect.stringMatching(/^id: /)]);
    expect(await refusal(await cancel('req_1', { comment: 'no\u0000' }))).toEqual([400, expect.stringMatching(/^comment: /)]);
    expect((await cancel('req_1', { comment: 'ok', extra: true })).status).toBe(400);
  });
});
