// No imports: lib/server/db/outage.ts, which proxy.ts reads, keeps its state here too.

/**
 * The one instance per process of what `create` builds, under `key`. Next.js bundles a module into
 * each route, page, action, the proxy and instrumentation separately, and dev mode reloads modules:
 * a module-level variable would exist once per copy. The instance lives on globalThis under
 * `Symbol.for('gatehouse.<key>')`, which every copy and every reload sees; `create` runs once.
 */
export function singleton<T>(key: string, create: () => T): T {
  const holder = globalThis as unknown as Record<symbol, unknown>;
  const symbol = Symbol.for(`gatehouse.${key}`);
  if (!(symbol in holder)) holder[symbol] = create();
  return holder[symbol] as T;
}
