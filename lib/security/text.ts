import * as z from '@/lib/zod-mini';
import { findCredentials } from '@/lib/security/credential-patterns.mjs';

// Every piece of free text that enters the portal (a justification, a comment, a description, a
// reason) goes through safeText: it is stored, shown to other people, and kept in the append-only
// audit history, so what cannot be taken back is refused before anything is written
// (docs/decisions/031-web-inputs-and-sessions.md). Forms check their text in the browser with these
// too, so this module imports zod/mini, never zod (lib/zod-mini.ts); safeText and plainText return
// the kind of schema they are given (zod or zod/mini), with checks added.

/** C0 and C1 control characters and DEL, except tab and newline; lone UTF-16 surrogates (not text). */
const FORBIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The marker on a zod issue for text that holds a credential: the transports answer it with 422. */
export const CREDENTIAL_ISSUE = 'credential';

/** The text's first forbidden character as a code point (U+0000), or null. */
export function forbiddenCharacter(text: string): string | null {
  const m = FORBIDDEN.exec(text);
  return m ? `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : null;
}

/** The names of the credential shapes found in free text (AWS keys, private keys, tokens…), deduplicated. */
export function credentialKinds(text: string): string[] {
  return [...new Set(findCredentials(text, { freeText: true }).map((f) => f.name))];
}

/** True for a zod issue raised because text held a credential. */
export function isCredentialIssue(issue: { code: string; params?: unknown }): boolean {
  return issue.code === 'custom' && (issue.params as { kind?: unknown } | undefined)?.kind === CREDENTIAL_ISSUE;
}

/**
 * Free text, safe to store: a browser's CRLF line breaks become LF, then control characters (other
 * than newline and tab) are refused (400), and so is anything shaped like a credential (422 through
 * isCredentialIssue). The issue's path names the field. Apply it to the field's string schema:
 * `safeText(z.string().trim().max(1000))`.
 */
export function safeText<S extends z.core.$ZodType<string, string>>(schema: S): S {
  // Line breaks first, so that trim() and max() see what is stored; then the schema's own checks, then ours.
  return withChecks(
    schema,
    [z.overwrite((text: string) => text.replace(/\r\n/g, '\n'))],
    [
      z.superRefine<string>((text, ctx) => {
        const bad = forbiddenCharacter(text);
        if (bad) {
          ctx.addIssue({ code: 'custom', message: `holds a control character (${bad}); only text, newlines and tabs are accepted.` });
          return;
        }
        const kinds = credentialKinds(text);
        if (kinds.length) {
          ctx.addIssue({
            code: 'custom',
            message: `looks like it holds a credential (${kinds.join(', ')}). Never paste secrets here: remove it, and rotate it if it was real.`,
            params: { kind: CREDENTIAL_ISSUE },
          });
        }
      }),
    ],
  );
}

/**
 * Text that selects rather than is stored (a search box, a filter): control characters are refused
 * with 400 naming the field (PostgreSQL refuses U+0000 in text, which would be a 500), credentials
 * are not looked for — a search stores nothing.
 */
export function plainText<S extends z.core.$ZodType<string, string>>(schema: S): S {
  return withChecks(
    schema,
    [],
    [
      z.superRefine<string>((text, ctx) => {
        const bad = forbiddenCharacter(text);
        if (bad) ctx.addIssue({ code: 'custom', message: `holds a control character (${bad}); only text, newlines and tabs are accepted.` });
      }),
    ],
  );
}

/** A copy of the schema with checks run before and after its own (what zod's and zod/mini's `.check()` do, at either end). */
function withChecks<S extends z.core.$ZodType<string, string>>(schema: S, before: z.core.$ZodCheck<string>[], after: z.core.$ZodCheck<string>[]): S {
  const def = schema._zod.def;
  // A copy of the definition with its getters kept (as zod's mergeDefs does; z.core.util would bring all of zod's core to the browser).
  const checks = [...before, ...(def.checks ?? []), ...after];
  return z.clone(
    schema,
    Object.defineProperties(
      {},
      { ...Object.getOwnPropertyDescriptors(def), checks: { value: checks, enumerable: true, writable: true, configurable: true } },
    ) as typeof def,
  );
}

/**
 * A number from JSON or a form: a JSON number, or a plain decimal string as FormData sends it.
 * Nothing else is coerced: "0x3c", "1e3", " 60" and [60] are refused rather than read as 60.
 */
export function numberInput<S extends z.core.$ZodType<number, number>>(schema: S) {
  return z.preprocess((v) => (typeof v === 'string' && /^-?\d{1,15}(\.\d{1,15})?$/.test(v) ? Number(v) : v), schema);
}
