import type { $ZodType, ParsePayload } from '../node_modules/zod/v4/core/index.js';
import en from 'zod/v4/locales/en.js';
import { config } from '../node_modules/zod/v4/core/core.js';
import { pipe, transform, type ZodMiniPipe, type ZodMiniTransform } from '../node_modules/zod/v4/mini/schemas.js';

// zod/mini for the schemas client components import: forms check their input in the browser with
// the server's own schema (docs/decisions/053), and the server parses with it too. A module that a
// client component reaches imports zod through this file, never 'zod' or 'zod/mini' (ESLint says so):
//
// - 'zod' (classic) is not tree-shaken: one import brings about 26 kB gzip to the browser;
// - 'zod/mini' is tree-shaken by esbuild and webpack, but not by Turbopack (next 16.4): its entry
//   re-exports every locale and the JSON-schema code, and the page gets all of it, about 56 kB;
// - its modules, imported one by one as here, cost about 9 kB.
//
// So this file re-exports, from zod/mini's and zod's core modules, what our schemas use (the names
// are zod/mini's: `import * as z from '@/lib/zod-mini'` reads like `import * as z from 'zod/mini'`).
// A schema that needs something more adds it here. Measured with `npm run size` after
// `next build` (docs/decisions/052-page-weight-budget.md).

// zod loads its English messages when imported; zod/mini does not, and would answer "Invalid input"
// where zod says "Too big: expected string to have <=64 characters". Both sides speak the same.
config(en());

export {
  _default,
  array,
  boolean,
  catch,
  discriminatedUnion,
  enum,
  extend,
  int,
  literal,
  number,
  object,
  optional,
  pipe,
  record,
  refine,
  strictObject,
  string,
  superRefine,
  transform,
  union,
} from '../node_modules/zod/v4/mini/schemas.js';
export {
  _gte as minimum,
  _lte as maximum,
  _maxLength as maxLength,
  _minLength as minLength,
  _overwrite as overwrite,
  _regex as regex,
  _startsWith as startsWith,
  _trim as trim,
} from '../node_modules/zod/v4/core/api.js';
export { NEVER } from '../node_modules/zod/v4/core/core.js';
export { clone } from '../node_modules/zod/v4/core/util.js';
export * as coerce from '../node_modules/zod/v4/mini/coerce.js';
export * as iso from '../node_modules/zod/v4/mini/iso.js';
// Types from the same files (zod/mini's and zod's entries declare theirs in other files, .d.cts, which TypeScript keeps apart).
export type { output } from '../node_modules/zod/v4/core/core.js';
export type { ZodMiniType } from '../node_modules/zod/v4/mini/schemas.js';
export type * as core from '../node_modules/zod/v4/core/index.js';

/** zod's `z.preprocess`, which zod/mini lacks: `fn` turns the raw input into what `schema` parses. */
export function preprocess<S extends $ZodType>(
  fn: (value: unknown, ctx: ParsePayload) => unknown,
  schema: S,
): ZodMiniPipe<ZodMiniTransform<unknown, unknown>, S> {
  return pipe(transform(fn), schema);
}
