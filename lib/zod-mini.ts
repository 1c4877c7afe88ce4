import { config, pipe, transform, type core, type ZodMiniPipe, type ZodMiniTransform } from 'zod/mini';
import { en } from 'zod/locales';

// The schemas client components import (forms check their input in the browser with the server's own
// schema, docs/decisions/053) are written with zod/mini: the same parser as zod, about 5 kB gzip in
// the browser instead of about 28 kB, because its functions are tree-shaken where zod's methods are
// not (docs/decisions/052-page-weight-budget.md). A module that a client component reaches must not
// import 'zod' at all: one import brings all of zod. Such schema files import this module, which
// gives zod/mini what zod has and zod/mini lacks.

// zod loads its English messages when imported; zod/mini does not, and would answer "Invalid input"
// where zod says "Too big: expected string to have <=64 characters". Both sides speak the same.
config(en());

/** zod's `z.preprocess`, which zod/mini lacks: `fn` turns the raw input into what `schema` parses. */
export function preprocess<S extends core.$ZodType>(
  fn: (value: unknown, ctx: core.ParsePayload) => unknown,
  schema: S,
): ZodMiniPipe<ZodMiniTransform<unknown, unknown>, S> {
  return pipe(transform(fn), schema);
}
