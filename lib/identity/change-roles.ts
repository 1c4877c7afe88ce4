import { AppError } from '@/lib/errors';
import type { Actor, AppRole } from '@/lib/identity/actor';

/** Refuses role changes that would lock administration out: an admin cannot drop their own ADMIN role. */
export function assertRoleChangeAllowed(actor: Actor, targetUserId: string, roles: readonly AppRole[]): void {
  if (actor.id === targetUserId && actor.roles.includes('ADMIN') && !roles.includes('ADMIN')) {
    throw new AppError('CONFLICT', 'You cannot remove your own admin role; ask another admin to do it.');
  }
}
