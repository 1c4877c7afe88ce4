import { describe, expect, it } from 'vitest';
import { updateRolesSchema } from '@/lib/identity/schemas';

const PICK_ONE = 'Pick at least one role; deactivate a user instead of removing every role.';

function issuesOf(input: unknown): { path: PropertyKey[]; message: string }[] {
  const result = updateRolesSchema.safeParse(input);
  expect(result.success).toBe(false);
  return result.error!.issues.map((i) => ({ path: i.path, message: i.message }));
}

describe('updateRolesSchema', () => {
  it('turns a single checked role into an array', () => {
    expect(updateRolesSchema.parse({ userId: 'u1', roles: 'ADMIN' })).toEqual({ userId: 'u1', roles: ['ADMIN'] });
  });

  it('keeps several roles in order', () => {
    expect(updateRolesSchema.parse({ userId: 'u1', roles: ['OPS', 'ENGINEER', 'SECURITY'] })).toEqual({
      userId: 'u1',
      roles: ['OPS', 'ENGINEER', 'SECURITY'],
    });
  });

  it('asks for at least one role when none is checked', () => {
    expect(issuesOf({ userId: 'u1' })).toEqual([{ path: ['roles'], message: PICK_ONE }]);
    expect(issuesOf({ userId: 'u1', roles: [] })).toEqual([{ path: ['roles'], message: PICK_ONE }]);
  });

  it('rejects an unknown role, alone or among known ones', () => {
    expect(issuesOf({ userId: 'u1', roles: 'ROOT' })).toEqual([{ path: ['roles', 0], message: 'unknown role' }]);
    expect(issuesOf({ userId: 'u1', roles: ['ADMIN', 'admin'] })).toEqual([{ path: ['roles', 1], message: 'unknown role' }]);
  });

  it('requires a userId of 1 to 64 characters', () => {
    expect(updateRolesSchema.parse({ userId: 'u'.repeat(64), roles: 'OPS' }).userId).toBe('u'.repeat(64));
    expect(issuesOf({ userId: '', roles: 'OPS' }).map((i) => i.path)).toEqual([['userId']]);
    expect(issuesOf({ userId: 'u'.repeat(65), roles: 'OPS' }).map((i) => i.path)).toEqual([['userId']]);
    expect(issuesOf({ roles: 'OPS' }).map((i) => i.path)).toEqual([['userId']]);
  });
});
