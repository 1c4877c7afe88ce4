/**
 * Reads a function's own configuration from its environment (Lambda functions are a separate
 * program from the portal, so they do not go through lib/server/env.ts). Throws at cold start,
 * naming every missing variable, so a misconfigured deployment fails its first invocation loudly.
 */
export function readFunctionEnv<const K extends string>(
  source: Readonly<Record<string, string | undefined>>,
  names: readonly K[],
): Record<K | 'AWS_REGION', string> {
  const wanted = [...names, 'AWS_REGION'] as const;
  const missing = wanted.filter((name) => !source[name]);
  if (missing.length > 0) throw new Error(`missing environment variables: ${missing.join(', ')}`);
  return Object.fromEntries(wanted.map((name) => [name, source[name]!])) as Record<K | 'AWS_REGION', string>;
}
