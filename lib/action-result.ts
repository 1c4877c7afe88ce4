// The one shape every server action answers, declared once for the server (lib/server/http/action.ts)
// and the client (components/use-action-call.ts) (docs/decisions/053-form-layer.md).

/** What a server action answers: its data, or an error with a message and, for forms, one message per field. */
export type ActionResult<T = unknown> = { ok: true; data: T } | { ok: false; error: ActionError };

/** A refused action: the code the transports map to a status, a message to show, and field messages for a form. */
export interface ActionError {
  code: string;
  message: string;
  fields?: Record<string, string>;
}

/** A form's FormData as the plain object its zod schema parses; repeated names (checkbox groups) become arrays. */
export function formDataToObject(form: FormData): Record<string, unknown> {
  // A Map, not an object literal: a field named "__proto__" must stay a key.
  const out = new Map<string, unknown>();
  for (const [key, value] of form.entries()) {
    if (key.startsWith('$ACTION')) continue;
    const prev = out.get(key);
    out.set(key, prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value]);
  }
  return Object.fromEntries(out);
}

/** A zod error's issues as one message per field (the first for each), as the server action answers them. */
export function fieldMessages(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) fields[issue.path.map(String).join('.') || '_'] ??= issue.message;
  return fields;
}
