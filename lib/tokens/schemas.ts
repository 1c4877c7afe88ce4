import { z } from 'zod';
import { TOKEN_SCOPES } from '@/lib/identity/actor';
import { numberInput, safeText } from '@/lib/security/text';

/** Tokens live at most this long: a leaked token ends on its own (docs/decisions/045-api-tokens.md). */
export const TOKEN_MAX_DAYS = 90;
export const TOKEN_DEFAULT_DAYS = 30;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
// A form sends one checkbox as a string and several as an array.
const toArray = (v: unknown) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** A new personal API token, from the token page's form. */
export const createTokenSchema = z.object({
  name: safeText(z.string({ message: 'Name the token.' }).trim().min(1, 'Name the token.').max(64, 'Keep the name under 64 characters.')),
  scopes: z
    .preprocess(toArray, z.array(z.enum(TOKEN_SCOPES, { message: 'Unknown scope.' })).min(1, 'Pick at least one scope.'))
    .transform((scopes) => TOKEN_SCOPES.filter((s) => scopes.includes(s))),
  expiresInDays: z.preprocess(
    blankToUndefined,
    numberInput(
      z
        .number({ message: 'Give a number of days.' })
        .int('Give a whole number of days.')
        .min(1, 'A token lives at least one day.')
        .max(TOKEN_MAX_DAYS, `A token lives at most ${TOKEN_MAX_DAYS} days.`),
    ).default(TOKEN_DEFAULT_DAYS),
  ),
});
export type CreateTokenInput = z.output<typeof createTokenSchema>;

export const revokeTokenSchema = z.object({ tokenId: z.string().trim().min(1, 'is required').max(64) });
