import 'server-only';
import { parseEnv, type Env } from '@/lib/server/env-schema';

export type { Env };

let cached: Env | undefined;

/** The validated configuration; the only reader of process.env. Throws on first use when a value is bad. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
