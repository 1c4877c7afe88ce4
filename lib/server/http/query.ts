import 'server-only';
import { z } from 'zod';

/** A query string as a route reads it (URLSearchParams) or as a page receives it (Next's searchParams). */
export type QueryInput = URLSearchParams | Record<string, string | string[] | undefined>;

/** The parameter names a query schema reads: the keys of its object, through a preprocess step. */
export function queryKeys(schema: z.core.$ZodType): readonly string[] {
  // The core classes: a query schema is a zod or a zod/mini one (lib/zod-mini.ts).
  if (schema instanceof z.core.$ZodObject) return Object.keys(schema._zod.def.shape);
  if (schema instanceof z.core.$ZodPipe) return queryKeys(schema._zod.def.out);
  // A programming error, found by the first test of the route: a query is always an object of parameters.
  throw new Error('A query schema must be an object schema (optionally preprocessed).');
}

// A schema's parameter names, found once per schema rather than on every call of a polled list.
const keysOf = new WeakMap<z.core.$ZodType, ReadonlySet<string>>();

function knownKeys(schema: z.core.$ZodType): ReadonlySet<string> {
  let keys = keysOf.get(schema);
  if (!keys) {
    keys = new Set(queryKeys(schema));
    keysOf.set(schema, keys);
  }
  return keys;
}

function entriesOf(input: QueryInput): [string, string][] {
  if (input instanceof URLSearchParams) return [...input.entries()];
  return Object.entries(input).flatMap(([key, value]) =>
    value === undefined ? [] : Array.isArray(value) ? value.map((v): [string, string] => [key, v]) : [[key, value]],
  );
}

/**
 * Parses a query string with its schema. A parameter the schema does not read, or one given twice,
 * is an error naming it: silently ignoring `?requestId=…` once returned every event
 * (docs/decisions/029-one-audit-path.md). Every list API reads its query through here.
 */
export function safeParseQuery<S extends z.core.$ZodType>(input: QueryInput, schema: S): z.ZodSafeParseResult<z.output<S>> {
  const known = knownKeys(schema);
  const values: Record<string, string> = {};
  const issues: z.core.$ZodIssue[] = [];
  for (const [key, value] of entriesOf(input)) {
    if (!known.has(key)) issues.push({ code: 'custom', path: [key], message: `unknown parameter (this list takes ${[...known].join(', ')})`, input: value });
    else if (Object.hasOwn(values, key)) issues.push({ code: 'custom', path: [key], message: 'given more than once', input: value });
    else values[key] = value;
  }
  if (issues.length) return { success: false, error: new z.ZodError(issues) } as z.ZodSafeParseResult<z.output<S>>;
  return z.safeParse(schema, values) as z.ZodSafeParseResult<z.output<S>>;
}

/** The request's query parsed with its schema; a ZodError (answered 400 naming the parameter) otherwise. */
export function parseQuery<S extends z.core.$ZodType>(request: Request, schema: S): z.output<S> {
  const result = safeParseQuery(new URL(request.url).searchParams, schema);
  if (!result.success) throw result.error;
  return result.data;
}
