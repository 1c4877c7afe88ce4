import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { AppError, type AppErrorCode } from '@/lib/errors';
import { describeError, errorResponse } from '@/lib/server/http/errors';

const GENERIC = 'Internal error. It was logged; try again later.';

describe('describeError', () => {
  it.each([
    ['BAD_REQUEST', 400],
    ['UNAUTHENTICATED', 401],
    ['FORBIDDEN', 403],
    ['NOT_FOUND', 404],
    ['CONFLICT', 409],
    ['UNPROCESSABLE', 422],
    ['RATE_LIMITED', 429],
    ['UNAVAILABLE', 503],
  ] as [AppErrorCode, number][])('maps AppError %s to %i with its code and message', (code, status) => {
    expect(describeError(new AppError(code, `message for ${code}`, { secret: 'not shown' }))).toEqual({
      status,
      body: { error: { code, message: `message for ${code}` } },
    });
  });

  it('recognises an AppError from another module copy by name and code', () => {
    const copy = Object.assign(new Error('Request not found'), { name: 'AppError', code: 'NOT_FOUND' });
    expect(describeError(copy)).toEqual({ status: 404, body: { error: { code: 'NOT_FOUND', message: 'Request not found' } } });
  });

  it('maps a ZodError to 400 with every issue and its path', () => {
    const schema = z.object({
      name: z.string().min(1, 'is required'),
      roles: z.array(z.enum(['ADMIN', 'OPS'], { message: 'unknown role' })),
    });
    const result = schema.safeParse({ name: '', roles: ['OPS', 'ROOT'] });
    expect(result.success).toBe(false);
    expect(describeError(result.error)).toEqual({
      status: 400,
      body: {
        error: {
          code: 'BAD_REQUEST',
          message: 'name: is required; roles.1: unknown role',
          issues: [
            { path: 'name', message: 'is required' },
            { path: 'roles.1', message: 'unknown role' },
          ],
        },
      },
    });
  });

  it('leaves the path out of the message for a root-level issue', () => {
    const result = z.string({ message: 'must be text' }).safeParse(5);
    expect(describeError(result.error)).toEqual({
      status: 400,
      body: { error: { code: 'BAD_REQUEST', message: 'must be text', issues: [{ path: '', message: 'must be text' }] } },
    });
  });

  it('hides an unknown Error behind a generic 500 and logs it', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const e = new Error('password authentication failed for user "gatehouse"');
      const described = describeError(e);
      expect(described).toEqual({ status: 500, body: { error: { code: 'INTERNAL', message: GENERIC } } });
      expect(JSON.stringify(described)).not.toContain('password');
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy).toHaveBeenCalledWith('[http] unexpected error', e);
    } finally {
      spy.mockRestore();
    }
  });

  it('treats a thrown non-Error value as unknown', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(describeError('boom')).toEqual({ status: 500, body: { error: { code: 'INTERNAL', message: GENERIC } } });
      expect(spy).toHaveBeenCalledWith('[http] unexpected error', 'boom');
    } finally {
      spy.mockRestore();
    }
  });

  it('does not log AppErrors or ZodErrors', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      describeError(new AppError('FORBIDDEN', 'no'));
      describeError(z.string().safeParse(1).error);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});

describe('errorResponse', () => {
  it('sends the described status and body, never cached', async () => {
    const res = errorResponse(new AppError('CONFLICT', 'Already approved'));
    expect(res.status).toBe(409);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ error: { code: 'CONFLICT', message: 'Already approved' } });
  });
});
