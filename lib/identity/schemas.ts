import * as z from '@/lib/zod-mini';
import { APP_ROLES } from '@/lib/identity/actor';
import { safeText } from '@/lib/security/text';

// zod/mini, not zod: the admin forms check their input in the browser with these same schemas
// (lib/zod-mini.ts, docs/decisions/052-page-weight-budget.md).

/** The admin form that sets a user's roles; a single checked box arrives as a string. */
export const updateRolesSchema = z.object({
  userId: safeText(z.string().check(z.minLength(1), z.maxLength(64))),
  roles: z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.enum(APP_ROLES, { message: 'unknown role' })).check(z.minLength(1, 'Pick at least one role; deactivate a user instead of removing every role.')),
  ),
});

const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(user|role)\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;

/**
 * The admin form that maps a user to the IAM user or role their grants attach to in one AWS account
 * (docs/decisions/039); an empty ARN removes the user's mapping in that account.
 */
export const setPrincipalSchema = z.pipe(
  z
    .object({
      userId: safeText(z.string().check(z.minLength(1), z.maxLength(64))),
      accountId: z.string().check(z.regex(/^\d{12}$/, 'must be a 12-digit AWS account id')),
      arn: z.union([
        z.literal(''),
        z.string().check(z.trim(), z.regex(PRINCIPAL_ARN, 'Give an IAM user or role ARN, e.g. arn:aws:iam::123456789012:user/jane.doe')),
      ]),
    })
    .check(
      z.superRefine(({ arn, accountId }, ctx) => {
        const inAccount = /^arn:[^:]+:iam::(\d{12}):/.exec(arn)?.[1];
        if (inAccount && inAccount !== accountId)
          ctx.addIssue({ code: 'custom', path: ['arn'], message: `That ARN is in account ${inAccount}; this row is for account ${accountId}.` });
      }),
    ),
  z.transform(({ userId, accountId, arn }: { userId: string; accountId: string; arn: string }) => {
    const match = PRINCIPAL_ARN.exec(arn);
    if (!match) return { userId, accountId, principal: null };
    const [, type, name] = match;
    return { userId, accountId, principal: { arn, accountId, kind: type === 'user' ? ('IAM_USER' as const) : ('IAM_ROLE' as const), name: name ?? '' } };
  }),
);
