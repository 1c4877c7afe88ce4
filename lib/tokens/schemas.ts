import * as z from '@/lib/zod-mini';
import { TOKEN_SCOPES } from '@/lib/identity/actor';
import { numberInput, safeText } from '@/lib/security/text';

// zod/mini, not zod: the token form checks its input in the browser with this same schema
// (lib/zod-mini.ts, docs/decisions/052-page-weight-budget.md).

/** Tokens live at most this long: a leaked token ends on its own (docs/decisions/045-api-tokens.md). */
export const TOKEN_MAX_DAYS = 90;
export const TOKEN_DEFAULT_DAYS = 30;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
// A form sends one checkbox as a string and several as an array.
const toArray = (v: unknown) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** A new personal API token, from the token page's form. */
export const createTokenSchema = z.object({
  name: safeText(
    z.string({ message: 'Name the token.' }).check(z.trim(), z.minLength(1, 'Name the token.'), z.maxLength(64, 'Keep the name under 64 characters.')),
  ),
  scopes: z.pipe(
    z.preprocess(toArray, z.array(z.enum(TOKEN_SCOPES, { message: 'Unknown scope.' })).check(z.minLength(1, 'Pick at least one scope.'))),
    z.transform((scopes: (typeof TOKEN_SCOPES)[number][]) => TOKEN_SCOPES.filter((s) => scopes.includes(s))),
  ),
  expiresInDays: z.preprocess(
    blankToUndefined,
    z._default(
      numberInput(
        z
          .number({ message: 'Give a number of days.' })
          .check(
            z.int('Give a whole number of days.'),
            z.minimum(1, 'A token lives at least one day.'),
            z.maximum(TOKEN_MAX_DAYS, `A token lives at most ${TOKEN_MAX_DAYS} days.`),
          ),
      ),
      TOKEN_DEFAULT_DAYS,
    ),
  ),
});
export type CreateTokenInput = z.output<typeof createTokenSchema>;

export const revokeTokenSchema = z.object({ tokenId: z.string().check(z.trim(), z.minLength(1, 'is required'), z.maxLength(64)) });
