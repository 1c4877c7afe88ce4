import 'server-only';
import { z } from 'zod';
import type { RequestOrigin } from '@/lib/audit/model';
import type { Actor } from '@/lib/identity/actor';
import type { SignedInAction } from '@/lib/server/auth/permissions';
import { requestOrigin } from '@/lib/server/http/origin';
import { route } from '@/lib/server/http/route';

/**
 * A POST on one object, `/api/v1/<things>/:id/<verb>`, that runs the use case the page's server
 * action runs, validated by the same domain schema (lib/<domain>/schemas.ts): the path's `id` fills
 * `idKey`, `fixed` fills what the path itself says (approve or reject), and the JSON body carries
 * the rest. The body is checked by the schema without those keys, strictly: a key it does not know,
 * or one the path fills, is a 400 — as is a bad id, named `id`.
 */
export function idRoute<S extends z.core.$ZodObject, K extends keyof S['_zod']['def']['shape'] & string>(
  action: SignedInAction,
  schema: S,
  idKey: K,
  run: (input: z.output<S>, actor: Actor, origin: RequestOrigin) => Promise<object>,
  fixed: Partial<z.output<S>> = {},
) {
  // A zod or a zod/mini object (lib/zod-mini.ts): its fields through the core definition.
  const shape: z.core.$ZodShape = schema._zod.def.shape;
  const paramsSchema = z.object({ id: shape[idKey] as z.core.$ZodType<string> });
  const pathKeys = new Set<string>([idKey, ...Object.keys(fixed)]);
  const bodySchema = z.strictObject(Object.fromEntries(Object.entries(shape).filter(([key]) => !pathKeys.has(key))));
  return route<{ id: string }>(action, async ({ actor, params, body }) => {
    const { id } = paramsSchema.parse(params);
    const rest = bodySchema.parse(body ?? {});
    // Every key of the schema is now parsed: the body's by bodySchema, the id here, `fixed` typed by the caller.
    return run({ ...rest, [idKey]: id, ...fixed } as z.output<S>, actor, await requestOrigin());
  });
}
