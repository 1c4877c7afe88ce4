import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import type { Actor, AppRole } from '@/lib/identity/actor';
import { assertRoleChangeAllowed } from '@/lib/identity/change-roles';

function actor(id: string, ...roles: AppRole[]): Actor {
  return { id, email: `${id}@example.com`, name: id, roles, teams: [] };
}

describe('assertRoleChangeAllowed', () => {
  it('refuses an admin removing their own ADMIN role with CONFLICT', () => {
    let thrown: unknown;
    try {
      assertRoleChangeAllowed(actor('admin-1', 'ADMIN', 'ENGINEER'), 'admin-1', ['ENGINEER', 'SECURITY']);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).code).toBe('CONFLICT');
    expect((thrown as AppError).message).toBe('You cannot remove your own admin role; ask another admin to do it.');
  });

  it('refuses an admin setting their own roles to nothing', () => {
    expect(() => assertRoleChangeAllowed(actor('admin-1', 'ADMIN'), 'admin-1', [])).toThrow(
      new AppError('CONFLICT', 'You cannot remove your own admin role; ask another admin to do it.'),
    );
  });

  it('allows an admin changing their own other roles while keeping ADMIN', () => {
    expect(() => assertRoleChangeAllowed(actor('admin-1', 'ADMIN'), 'admin-1', ['ADMIN', 'OPS'])).not.toThrow();
  });

  it("allows an admin removing another admin's ADMIN role", () => {
    expect(() => assertRoleChangeAllowed(actor('admin-1', 'ADMIN'), 'admin-2', ['ENGINEER'])).not.toThrow();
  });

  it('allows a non-admin changing their own roles (authorization is checked elsewhere)', () => {
    expect(() => assertRoleChangeAllowed(actor('eng-1', 'ENGINEER'), 'eng-1', ['SECURITY'])).not.toThrow();
  });
});
