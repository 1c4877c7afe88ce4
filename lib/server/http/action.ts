import 'server-only';
import { safeParse, type z } from 'zod';
import { authorize, getActor } from '@/lib/server/auth/guards';
import type { Action, ActorFor } from '@/lib/server/auth/permissions';
import { isCredentialIssue } from '@/lib/security/text';
import { describeError } from '@/lib/server/http/errors';
import { fieldMessages, formDataToObject, type ActionResult } from '@/lib/action-result';

/**
 * Wraps a server action: authorizes, validates the input with the form's schema, runs the use case,
 * and returns `{ ok, data }` or `{ ok: false, error }` (field errors for forms) instead of throwing.
 * `run` receives an Actor for an action that needs sign-in; `Actor | null` for a public one.
 */
export function serverAction<A extends Action, S extends z.core.$ZodType, T>(
  action: A,
  schema: S,
  run: (input: z.output<S>, actor: ActorFor<A>) => Promise<T>,
) {
  return async (raw: unknown): Promise<ActionResult<T>> => {
    try {
      const actor = await getActor();
      authorize(actor, action);
      // A zod or a zod/mini schema (the forms' schemas are zod/mini: lib/zod-mini.ts).
      const parsed = safeParse(schema, raw instanceof FormData ? formDataToObject(raw) : raw);
      if (!parsed.success) {
        const fields = fieldMessages(parsed.error.issues);
        // Text holding a credential is refused as unprocessable, like the API's 422 (lib/security/text.ts).
        if (parsed.error.issues.some(isCredentialIssue))
          return { ok: false, error: { code: 'UNPROCESSABLE', message: 'Remove the credential from the text: it would be stored and shown.', fields } };
        return { ok: false, error: { code: 'BAD_REQUEST', message: 'Some fields are not valid.', fields } };
      }
      // authorize() has refused an anonymous caller of any action that is not public.
      return { ok: true, data: await run(parsed.data, actor as ActorFor<A>) };
    } catch (e) {
      const { body } = describeError(e);
      return { ok: false, error: { code: body.error.code, message: body.error.message } };
    }
  };
}
