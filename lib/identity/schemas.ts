import { z } from 'zod';
import { APP_ROLES } from '@/lib/identity/actor';

/** The admin form that sets a user's roles; a single checked box arrives as a string. */
export const updateRolesSchema = z.object({
  userId: z.string().min(1).max(64),
  roles: z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.enum(APP_ROLES, { message: 'unknown role' })).min(1, 'Pick at least one role; deactivate a user instead of removing every role.'),
  ),
});
export type UpdateRolesInput = z.output<typeof updateRolesSchema>;
