import { createHash } from 'node:crypto';

/** Parameters as one canonical string: names sorted, JSON-encoded, so the same values always hash the same. */
export function canonicalParameters(parameters: Record<string, string>): string {
  return JSON.stringify(
    Object.keys(parameters)
      .sort()
      .map((k) => [k, parameters[k]]),
  );
}

/**
 * The template revision an environment runs: sha256 of the template text and the canonical
 * parameters. Two plans with the same revision deploy exactly the same thing.
 */
export function templateRevision(templateText: string, parameters: Record<string, string>): string {
  return createHash('sha256').update(templateText, 'utf8').update('\n--- parameters ---\n').update(canonicalParameters(parameters)).digest('hex');
}

/** The first 12 characters: what the pages show. */
export function shortRevision(revision: string): string {
  return revision.slice(0, 12);
}
