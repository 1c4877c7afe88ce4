import { z } from 'zod';
import { APP_ROLES } from '@/lib/identity/actor';
import { safeText } from '@/lib/security/text';

/** The admin form that sets a user's roles; a single checked box arrives as a string. */
export const updateRolesSchema = z.object({
  userId: safeText(z.string().min(1).max(64)),
  roles: z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.enum(APP_ROLES, { message: 'unknown role' })).min(1, 'Pick at least one role; deactivate a user instead of removing every role.'),
  ),
});

const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(user|role)\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;

/**
 * The admin form that maps a user to the IAM user or role their grants attach to in one AWS account
 * (docs/decisions/039); an empty ARN removes the user's mapping in that account.
 */
export const setPrincipalSchema = z
  .object({
    userId: safeText(z.string().min(1).max(64)),
    accountId: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
    arn: z.union([z.literal(''), z.string().trim().regex(PRINCIPAL_ARN, 'Give an IAM user or role ARN, e.g. arn:aws:iam::123456789012:user/jane.doe')]),
  })
  .superRefine(({ arn, accountId }, ctx) => {
    const inAccount = /^arn:[^:]+:iam::(\d{12}):/.exec(arn)?.[1];
    if (inAccount && inAccount !== accountId)
      ctx.addIssue({ code: 'custom', path: ['arn'], message: `That ARN is in account ${inAccount}; this row is for account ${accountId}.` });
  })
  .transform(({ userId, accountId, arn }) => {
    const match = PRINCIPAL_ARN.exec(arn);
    if (!match) return { userId, accountId, principal: null };
    const [, type, name] = match;
    return { userId, accountId, principal: { arn, accountId, kind: type === 'user' ? ('IAM_USER' as const) : ('IAM_ROLE' as const), name: name ?? '' } };
  });
